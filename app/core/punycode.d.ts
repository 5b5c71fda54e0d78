/** punycode.js (the npm package) imported by its file path; see app/core/identifiers.ts. */
declare module "punycode/punycode.js" {
  const punycode: {
    toUnicode(domain: string): string;
    toASCII(domain: string): string;
  };
  export default punycode;
}
