import { SelectField } from "./fields";

/**
 * One filter of a list (GET form): the shared SelectField whose first option means "all". Nothing to
 * refuse: the loader reads an unknown value as no filter.
 */
export function FilterSelect({
  name,
  label,
  all,
  value,
  options,
}: {
  name: string;
  label: string;
  all: string;
  value: string | undefined;
  options: [string, string][];
}) {
  return (
    <SelectField
      name={name}
      label={label}
      placeholder={{ label: all }}
      defaultValue={value ?? ""}
      options={options.map(([optionValue, optionLabel]) => ({ value: optionValue, label: optionLabel }))}
    />
  );
}
