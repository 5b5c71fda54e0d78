import { Form } from "react-router";

/**
 * A form that is only a button: it posts one intent of the page's action (and the hidden values
 * that intent needs, such as the round it is about).
 */
export function IntentButton({
  intent,
  label,
  values = {},
  secondary = false,
}: {
  intent: string;
  label: string;
  values?: Record<string, string>;
  secondary?: boolean;
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(values).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button className={secondary ? "button button--secondary" : "button"} type="submit">
        {label}
      </button>
    </Form>
  );
}
