import type { FormEvent } from "react";

export interface FormValues {
  applicantName: string;
  sin: string;
  amount: string;
}

export function ApplicationForm({
  values,
  onChange,
  onSubmit,
  busy,
  problems,
}: {
  values: FormValues;
  onChange: (v: FormValues) => void;
  onSubmit: () => void;
  busy: boolean;
  problems: string[];
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Loan application">
      <label className="field">
        <span>Full name</span>
        <input
          name="applicantName"
          value={values.applicantName}
          autoComplete="off"
          placeholder="Jane Doe"
          onChange={(e) => onChange({ ...values, applicantName: e.target.value })}
        />
      </label>
      <div className="field-row">
        <label className="field">
          <span>SIN (9 digits)</span>
          <input
            name="sin"
            value={values.sin}
            inputMode="numeric"
            autoComplete="off"
            placeholder="123 456 789"
            aria-label="Social Insurance Number"
            onChange={(e) => onChange({ ...values, sin: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Amount</span>
          <span className="money">
            <span aria-hidden="true">$</span>
            <input
              name="amount"
              value={values.amount}
              inputMode="numeric"
              autoComplete="off"
              placeholder="25,000"
              onChange={(e) => onChange({ ...values, amount: e.target.value })}
            />
          </span>
        </label>
      </div>
      {problems.length > 0 && (
        <ul className="problems" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <button className="button primary wide" type="submit" disabled={busy}>
        {busy ? "Submitting…" : "Submit application"}
      </button>
    </form>
  );
}
