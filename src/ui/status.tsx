/** Progress text with a spinner, announced politely (key derivation takes about half a second). */
export function Busy({ children }: { children: string }) {
  return (
    <p className="status-line" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{children}</span>
    </p>
  );
}
