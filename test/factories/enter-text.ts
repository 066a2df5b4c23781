/**
 * Puts text into a field as a person pasting it would: a tap into the field, then one paste (one
 * input event, one render), where `user.type` sends five events and a render for every character.
 * On the big forms typing a name key by key took most of a test's time; tests that are about keys
 * (Return, IME digits, a check made as each key lands) still type. The paste is inserted at the caret
 * (the end of what the field holds) and, as typing does, is cut at the field's maxLength.
 */
import type { UserEvent } from '@testing-library/user-event';

export async function enterText(user: UserEvent, field: Element, text: string): Promise<void> {
  await user.click(field);
  await user.paste(text);
}
