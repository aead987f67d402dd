export interface SearchFieldProps {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  name?: string;
}

/** The search box of a list page: labelled for screen readers, the placeholder says what it matches. */
export function SearchField(props: SearchFieldProps) {
  return (
    <label className="field grow">
      <span className="visually-hidden">{props.label}</span>
      <input
        type="search"
        placeholder={props.placeholder}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        name={props.name}
      />
    </label>
  );
}
