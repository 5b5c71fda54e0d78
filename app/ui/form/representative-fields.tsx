import { representativeRoles } from "#app/core/representation";
import { useMessages } from "#app/i18n";
import { ChoiceField, TextField, TextAreaField } from "./fields";

/**
 * "Filing for someone else" (ADR 0011), on the public request form and the staff intake: whether the
 * request is the person's own, and if not the representative's role, name and contact. Without
 * JavaScript every field is shown; the hint says which apply.
 */
export function RepresentativeFields(props: {
  variant: "form" | "intake";
  error: (name: string) => string | undefined;
  value: (name: string) => string | undefined;
}) {
  const r = useMessages().representation;
  const t = props.variant === "form" ? r.form : r.intake;
  const { error, value } = props;
  return (
    <div className="representative-fields">
      <ChoiceField
        name="filingFor"
        legend={t.legend}
        hint={t.otherHint}
        error={error("filingFor")}
        defaultValue={value("filingFor") ?? "self"}
        options={[
          { value: "self", label: t.self },
          { value: "other", label: t.other },
        ]}
      />
      <ChoiceField
        name="representativeRole"
        legend={t.role}
        error={error("representativeRole")}
        defaultValue={value("representativeRole")}
        options={representativeRoles.map((role) => ({ value: role, label: r.roles[role] }))}
      />
      <TextField
        name="representativeName"
        label={t.name}
        autoComplete={props.variant === "form" ? "name" : "off"}
        error={error("representativeName")}
        defaultValue={value("representativeName")}
        maxLength={200}
      />
      <TextAreaField
        name="representativeAddress"
        label={t.postalAddress}
        hint={props.variant === "form" ? r.form.postalAddressHint : undefined}
        autoComplete={props.variant === "form" ? "street-address" : "off"}
        error={error("representativeAddress")}
        defaultValue={value("representativeAddress")}
        maxLength={1000}
      />
      <TextField
        name="representativePhone"
        type="tel"
        label={t.phone}
        autoComplete={props.variant === "form" ? "tel" : "off"}
        error={error("representativePhone")}
        defaultValue={value("representativePhone")}
        maxLength={100}
      />
      {props.variant === "form" ? <p className="hint">{r.form.proof}</p> : null}
    </div>
  );
}
