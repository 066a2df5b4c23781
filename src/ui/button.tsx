import type { ButtonHTMLAttributes } from 'react';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

/** Large touch target (min 48 px) buttons; one visual language for the whole app. */
export function Button({ variant = 'secondary', className, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return <button type="button" className={['btn', `btn--${variant}`, className].filter(Boolean).join(' ')} {...props} />;
}
