/**
 * The sign-in forms' fields (password, then the code; the code also sets up and confirms the second
 * factor), checked alike in the browser (the pages' useForm) and on the server (their actions);
 * hence no `.server` in the name and nothing but zod. Messages are keys of the pages' catalogues
 * (`staff.signIn`, `staff.code`). Whether a password or code is right only the server knows.
 */
import { z } from "zod";

export const MAX_USER_NAME = 200;
export const MAX_PASSWORD = 1000;
export const MAX_CODE = 20;

/** Messages are keys of `staff.signIn`. */
export const passwordSignInSchema = z.object({
  userName: z
    .string({ error: "userNameRequired" })
    .trim()
    .min(1, "userNameRequired")
    .max(MAX_USER_NAME, "invalid"),
  password: z.string({ error: "passwordRequired" }).min(1, "passwordRequired").max(MAX_PASSWORD, "invalid"),
});

/** A code of the authenticator app or a recovery code. Messages are keys of `staff.code`. */
export const codeSchema = z.object({
  code: z.string({ error: "required" }).trim().min(1, "required").max(MAX_CODE, "invalid"),
});
