/** An on/off switch (role="switch") with its label. */

export function Switch({
  id,
  checked,
  onChange,
  disabled,
  describedBy,
  label,
}: {
  id?: string;
  checked: boolean;
  onChange(v: boolean): void;
  disabled?: boolean;
  describedBy?: string | undefined;
  label?: string;
}) {
  return (
    <button
      id={id}
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      aria-describedby={describedBy}
      className="switch"
      disabled={disabled}
      onClick={() => onChange(!checked)}
    >
      <span className="switch-thumb" />
    </button>
  );
}
