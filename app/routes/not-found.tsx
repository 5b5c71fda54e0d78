import { data } from "react-router";

/** Every unknown URL: the root's error page in the person's language, with status 404. */
export function loader() {
  throw data(null, { status: 404 });
}

export default function NotFound() {
  return null;
}
