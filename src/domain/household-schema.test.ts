import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createHousehold, createPerson } from '../../test/factories/household';
import type { Household, Person } from './household';
import { emptyHousehold, emptyPerson, householdSchema, personSchema, validateHousehold, type ValidationResult } from './household-schema';

// Compile-time: the schemas produce exactly the domain types.
const _householdOutput: z.ZodType<Household> = householdSchema;
const _personOutput: z.ZodType<Person> = personSchema;
void _householdOutput;
void _personOutput;

function errorsOf(result: ValidationResult) {
  return result.ok ? [] : result.errors;
}

/** Validates a household with one person patched by `patch` (values may be of the wrong type on purpose). */
function withPerson(patch: Record<string, unknown>) {
  return validateHousehold({ ...createHousehold(), persons: [{ ...createPerson(), ...patch }] });
}

function messageAt(result: ValidationResult, path: string): string | undefined {
  return errorsOf(result).find((e) => e.path === path)?.message;
}

describe('validateHousehold', () => {
  it('accepts the factory household unchanged', () => {
    const h = createHousehold();
    expect(validateHousehold(h)).toEqual({ ok: true, value: h });
  });

  it('asks for a name, also when only spaces were typed', () => {
    expect(messageAt(withPerson({ name: '' }), 'persons.0.name')).toBe('氏名を入力してください');
    expect(messageAt(withPerson({ name: '　 ' }), 'persons.0.name')).toBe('氏名を入力してください');
  });

  it('trims a name', () => {
    const result = withPerson({ name: ' 佐藤 陽太　' });
    expect(result.ok && result.value.persons[0]!.name).toBe('佐藤 陽太');
  });

  it('saves a name and its ふりがな without the invisible characters a paste carries', () => {
    const result = withPerson({ name: '山田\u200B花子', furigana: 'やまだ\u200Bはなこ' });
    expect(result.ok && result.value.persons[0]).toMatchObject({ name: '山田花子', furigana: 'やまだはなこ' });
    expect(messageAt(withPerson({ name: '\u200B' }), 'persons.0.name')).toBe('氏名を入力してください');
    // a joiner spells some names in other scripts: it stays
    const joined = withPerson({ name: 'मित्\u200Dर' });
    expect(joined.ok && joined.value.persons[0]!.name).toBe('मित्\u200Dर');
  });

  it('saves two Excel cells pasted into 氏名 with a space between them, not a tab', () => {
    const result = withPerson({ name: '佐藤 太郎\tさとう たろう' });
    expect(result.ok && result.value.persons[0]!.name).toBe('佐藤 太郎 さとう たろう');
  });

  it('saves a name and its ふりがな pasted decomposed (NFD, from a Mac or an iPhone) composed, but not folded (NFC, not NFKC)', () => {
    const result = validateHousehold(
      createHousehold({
        persons: [createPerson({ name: 'ハ\u309Aク シ\u3099ユン', furigana: 'ハ\u309Aク シ\u3099ュン' })],
        emergencyContacts: [{ name: 'ハ\u309Aク ミナ', furigana: 'は\u309Aく みな', relation: '母', phones: ['090-0123-4567'], note: '' }],
      }),
    );
    expect(result.ok && result.value.persons[0]).toMatchObject({ name: 'パク ジユン', furigana: 'パク ジュン' });
    expect(result.ok && result.value.emergencyContacts[0]).toMatchObject({ name: 'パク ミナ', furigana: 'ぱく みな' });
    // half-width kana stay half-width; a compatibility ideograph (U+FA10 塚) stays the form it is written in
    const asWritten = withPerson({ name: '\uFA10本 ﾊﾟｸ', furigana: 'ﾊﾟｸ' });
    expect(asWritten.ok && asWritten.value.persons[0]).toMatchObject({ name: '\uFA10本 ﾊﾟｸ', furigana: 'ﾊﾟｸ' });
    const both = withPerson({ name: '\uFA10本 ハ\u309Aク' });
    expect(both.ok && both.value.persons[0]!.name).toBe('\uFA10本 パク');
  });

  it('checks the 受給者証番号 after reading full-width digits and hyphens', () => {
    expect(messageAt(withPerson({ recipientNumber: '12345' }), 'persons.0.recipientNumber')).toBe(
      '受給者証番号は10桁の数字で入力してください',
    );
    expect(messageAt(withPerson({ recipientNumber: '12345678901' }), 'persons.0.recipientNumber')).toBeDefined();
    expect(messageAt(withPerson({ recipientNumber: 'abc1234567' }), 'persons.0.recipientNumber')).toBeDefined();
    const fullWidth = withPerson({ recipientNumber: '１２３４５ ６７８９０' });
    expect(fullWidth.ok && fullWidth.value.persons[0]!.recipientNumber).toBe('1234567890');
    expect(withPerson({ recipientNumber: '' }).ok).toBe(true);
  });

  it('takes the 受給者証番号 with the dashes a Japanese IME types (ー, ‐, −, –, —, ―)', () => {
    for (const typed of ['12345ー67890', '１２３４５ー６７８９０', '12345ｰ67890', '12345‐67890', '12345−67890', '12345–67890', '12345—67890', '12345―67890']) {
      const result = withPerson({ recipientNumber: typed });
      expect(result.ok ? result.value.persons[0]!.recipientNumber : messageAt(result, 'persons.0.recipientNumber'), typed).toBe('1234567890');
    }
  });

  it('takes a blank birth date as unknown and rejects other shapes and impossible days', () => {
    const blank = withPerson({ birthDate: '' });
    expect(blank.ok && blank.value.persons[0]!.birthDate).toBeNull();
    expect(messageAt(withPerson({ birthDate: '2010/04/01' }), 'persons.0.birthDate')).toBe(
      '生年月日は 2010-04-01 の形式で入力してください',
    );
    expect(messageAt(withPerson({ birthDate: '2010-02-30' }), 'persons.0.birthDate')).toBe('生年月日に存在しない日付が入力されています');
  });

  it('limits 障害支援区分 to 1–6 and reads numbers typed as text', () => {
    expect(messageAt(withPerson({ supportLevel: 7 }), 'persons.0.supportLevel')).toBe('障害支援区分は1〜6です');
    const typed = withPerson({ supportLevel: '４' });
    expect(typed.ok && typed.value.persons[0]!.supportLevel).toBe(4);
    const blank = withPerson({ supportLevel: '' });
    expect(blank.ok && blank.value.persons[0]!.supportLevel).toBeNull();
  });

  it('limits behaviour scores to whole numbers in range', () => {
    const message = '行動関連項目の合計点は0〜24の整数です';
    expect(messageAt(withPerson({ behaviorScore: 25 }), 'persons.0.behaviorScore')).toBe(message);
    expect(messageAt(withPerson({ behaviorScore: 3.5 }), 'persons.0.behaviorScore')).toBe(message);
    expect(messageAt(withPerson({ behaviorScore: -1 }), 'persons.0.behaviorScore')).toBe(message);
    expect(withPerson({ behaviorScore: 24 }).ok).toBe(true);
    expect(messageAt(withPerson({ childBehaviorScore: 56 }), 'persons.0.childBehaviorScore')).toMatch(/強度行動障害判定基準/);
    expect(withPerson({ childBehaviorScore: 20 }).ok).toBe(true);
  });

  it('rejects unknown or repeated disability types and medical care', () => {
    expect(messageAt(withPerson({ disabilityTypes: ['intellectual', 'intellectual'] }), 'persons.0.disabilityTypes')).toBe(
      '障害種別が重複しています',
    );
    expect(messageAt(withPerson({ disabilityTypes: ['unknown'] }), 'persons.0.disabilityTypes.0')).toBe('障害種別の選択が正しくありません');
    expect(messageAt(withPerson({ medicalCare: ['suction', 'suction'] }), 'persons.0.medicalCare')).toBe('医療的ケアが重複しています');
  });

  it('adds the 医療的ケア disability type when medical care is listed, so the match cannot miss it', () => {
    const result = withPerson({ disabilityTypes: ['intellectual'], medicalCare: ['tube-feeding'] });
    expect(result.ok && result.value.persons[0]!.disabilityTypes).toEqual(['intellectual', 'medical-care']);
    const already = withPerson({ disabilityTypes: ['medical-care'], medicalCare: ['suction'] });
    expect(already.ok && already.value.persons[0]!.disabilityTypes).toEqual(['medical-care']);
  });

  it('says a household is too large to save before the hub refuses it (128 KB of JSON)', () => {
    const result = validateHousehold(createHousehold({ note: 'あ'.repeat(50_000) }));
    expect(result).toEqual({ ok: false, errors: [{ path: '', message: expect.stringMatching(/^記録が大きすぎて保存できません（\d+ KB、上限 128 KB）。長い文章を短くしてください。$/) }] });
    expect(validateHousehold(createHousehold({ note: 'あ'.repeat(10_000) })).ok).toBe(true);
  });

  it('wants enough digits in a phone number, wherever it is', () => {
    const short = validateHousehold(createHousehold({ phone: '123-4567' }));
    expect(messageAt(short, 'phone')).toBe('電話番号の桁数が足りません');
    expect(validateHousehold(createHousehold({ phone: '' })).ok).toBe(true);
    expect(validateHousehold(createHousehold({ phone: '＋８１ ９０-０１２３-４５６７' })).ok).toBe(true);
    expect(messageAt(validateHousehold(createHousehold({ caseWorkerPhone: '0550' })), 'caseWorkerPhone')).toBeDefined();
  });

  it('refuses a mobile number with a digit dropped, and two numbers run together, which the screen would show as one plausible number', () => {
    expect(messageAt(validateHousehold(createHousehold({ phone: '090-1234-567' })), 'phone')).toBe('携帯電話・IP電話の番号は11桁です（桁を確かめてください）');
    expect(messageAt(validateHousehold(createHousehold({ phone: '090111122220333334444' })), 'phone')).toBe('電話番号の桁数が多すぎます（番号が2つ続いていませんか）');
    expect(messageAt(validateHousehold(createHousehold({ phone: '090-1111-2222 03-3333-4444' })), 'phone')).toBe('電話番号の桁数が多すぎます（番号が2つ続いていませんか）');
    // a note's digits before the number do not hide the dropped digit
    expect(messageAt(validateHousehold(createHousehold({ phone: '内線12 090-1234-567' })), 'phone')).toBe('携帯電話・IP電話の番号は11桁です（桁を確かめてください）');
    expect(validateHousehold(createHousehold({ phone: '内線12 047-123-4567' })).ok).toBe(true);
    // a note with digits after the number, and two numbers a slash apart (as kept before), are fine
    for (const ok of [
      '090-1234-5678',
      '03-1234-5678',
      '03 1234 5678',
      '0120-123-456',
      '0800-123-4567',
      '047-123-4567',
      '050-1234-5678',
      '夜間 080-1111-2222',
      '047-366-1111 内線1234',
      '090-1234-5678（19時以降）',
      '03-1234-5678（平日9時〜17時）',
      '047-111-2222 / 090-3333-4444',
    ])
      expect(validateHousehold(createHousehold({ phone: ok })).ok, ok).toBe(true);
  });

  it('needs a name and a phone for each emergency contact, ignoring blank phone rows', () => {
    const result = validateHousehold(
      createHousehold({
        emergencyContacts: [
          { name: '', relation: '叔母', phones: ['090-0123-4567'], note: '' },
          { name: '田中 由美子', relation: '叔母', phones: ['', ' '], note: '' },
          { name: '田中 健', relation: '叔父', phones: ['', '090-0123-4567'], note: '' },
        ],
      }),
    );
    expect(messageAt(result, 'emergencyContacts.0.name')).toBe('緊急連絡先の氏名を入力してください');
    expect(messageAt(result, 'emergencyContacts.1.phones')).toBe('緊急連絡先の電話番号を1つ以上入力してください');
    expect(messageAt(result, 'emergencyContacts.2.phones')).toBeUndefined();
    const cleaned = validateHousehold(createHousehold({ emergencyContacts: [{ name: '田中 健', relation: '', phones: ['', '090-0123-4567'], note: '' }] }));
    expect(cleaned.ok && cleaned.value.emergencyContacts[0]!.phones).toEqual(['090-0123-4567']);
  });

  it("takes a contact's reading in kana, writes '' for none (also for a contact saved before readings), and refuses kanji there", () => {
    const result = validateHousehold(
      createHousehold({
        emergencyContacts: [
          { name: '田中 由美子', furigana: ' たなか ユミコ ', relation: '叔母', phones: ['090-0123-4567'], note: '' },
          { name: '田中 健', furigana: '', relation: '叔父', phones: ['090-0123-4568'], note: '' },
          { name: '鈴木 二郎', relation: '兄', phones: ['090-0123-4569'], note: '' },
        ],
      }),
    );
    // always the key: a contact without it is one an older app sent (src/protocol/older-apps.ts)
    expect(result.ok && result.value.emergencyContacts).toStrictEqual([
      { name: '田中 由美子', relation: '叔母', phones: ['090-0123-4567'], note: '', furigana: 'たなか ユミコ' },
      { name: '田中 健', relation: '叔父', phones: ['090-0123-4568'], note: '', furigana: '' },
      { name: '鈴木 二郎', relation: '兄', phones: ['090-0123-4569'], note: '', furigana: '' },
    ]);
    const kanji = validateHousehold(createHousehold({ emergencyContacts: [{ name: '田中 由美子', furigana: '田中', relation: '', phones: ['090-0123-4567'], note: '' }] }));
    expect(messageAt(kanji, 'emergencyContacts.0.furigana')).toBe('ふりがなは、ひらがなかカタカナで入力してください（夜間の検索に使います。わからなければ空欄にできます）');
  });

  it('needs date, signer and scope on a consent, one message per field', () => {
    const result = validateHousehold(createHousehold({ consent: { date: '', consentedBy: ' ', scope: '' } }));
    expect(errorsOf(result)).toEqual([
      { path: 'consent.date', message: '同意日を入力してください' },
      { path: 'consent.consentedBy', message: '同意者の氏名を入力してください' },
      { path: 'consent.scope', message: '情報共有の範囲を入力してください' },
    ]);
    const consentDate = (date: string) =>
      messageAt(validateHousehold(createHousehold({ consent: { date, consentedBy: '山田 一郎', scope: '緊急時' } })), 'consent.date');
    expect(consentDate('2026/04/01')).toBe('同意日は 2026-04-01 の形式で入力してください');
    expect(consentDate('2026-13-01')).toBe('同意日に存在しない日付が入力されています');
  });

  it('needs date and reason on a withdrawal', () => {
    const result = validateHousehold(createHousehold({ withdrawal: { date: '', reason: '' } }));
    expect(messageAt(result, 'withdrawal.date')).toBe('登録廃止日を入力してください');
    expect(messageAt(result, 'withdrawal.reason')).toBe('廃止の理由を入力してください');
  });

  it('needs at least one person', () => {
    expect(messageAt(validateHousehold(createHousehold({ persons: [] })), 'persons')).toBe('本人を1人以上登録してください');
  });

  it('flags a blank new form only where the user must act', () => {
    expect(errorsOf(validateHousehold(emptyHousehold('h-1', '2026-11-23T00:00:00.000Z')))).toEqual([
      { path: 'persons.0.name', message: '氏名を入力してください' },
    ]);
  });

  it('never throws and always answers in Japanese, whatever arrives', () => {
    const japanese = /[ぁ-んァ-ヶ一-龠]/;
    fc.assert(
      fc.property(fc.anything(), (input) => {
        for (const e of errorsOf(validateHousehold(input))) expect(e.message).toMatch(japanese);
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('name', 'birthDate', 'supportLevel', 'handbooks', 'doctors', 'sex'), fc.anything()), (patch) => {
        for (const e of errorsOf(withPerson(patch))) expect(e.message).toMatch(japanese);
      }),
    );
  });
});

describe('[V1] fields a newer app wrote', () => {
  /** A household as a newer app saved it: fields this app does not know, at the top, in a person and in a contact. */
  function fromNewerApp(): Household {
    const h = createHousehold();
    return {
      ...h,
      futureTop: { plan: 'b', at: ['2027-01-01'] },
      persons: [{ ...createPerson(), futurePerson: '夜間は左側から声をかける' }],
      emergencyContacts: [{ ...h.emergencyContacts[0]!, futureContact: { line: 'yamada' } }],
    } as unknown as Household;
  }

  it('[V1] keeps them as they came, at the top, in each person and in each contact, and checks the known fields beside them as strictly as ever', () => {
    const h = fromNewerApp();
    expect(validateHousehold(h)).toEqual({ ok: true, value: h });
    const badNumber = { ...h, persons: [{ ...h.persons[0]!, recipientNumber: '12345' }] };
    expect(messageAt(validateHousehold(badNumber), 'persons.0.recipientNumber')).toBe('受給者証番号は10桁の数字で入力してください');
    const { name: _name, ...nameless } = h.emergencyContacts[0]!;
    expect(messageAt(validateHousehold({ ...h, emergencyContacts: [nameless] }), 'emergencyContacts.0.name')).toBe('緊急連絡先の氏名を入力してください');
    const { address: _address, ...addressless } = h;
    expect(validateHousehold(addressless).ok).toBe(false);
  });
});

describe('[V1] fields a newer app wrote, at any depth', () => {
  /** A valid household holding each kind of object the form keeps, once: every place a newer app may add a field. */
  function everyObject(): Household {
    return createHousehold({
      persons: [
        createPerson({
          handbooks: { physicalGrade: 2, ryoiku: 'A', mentalGrade: null },
          doctors: [{ name: '佐藤 医師', hospital: 'みなと病院', phone: '03-1111-2222', note: '' }],
          services: [{ service: '生活介護', office: 'ひかり作業所', phone: '', schedule: '月〜金' }],
          pastShortStays: [{ facility: 'あおぞら短期入所', when: '2025年夏', howItWent: '落ち着いていた' }],
          enrolments: { settlement: [{ from: '2025-04-01', to: '2025-09-30', officeId: 'office-1' }], independentLiving: [] },
        }),
      ],
      family: [{ name: '山田 次郎', relation: '弟', age: '15', note: '' }],
      agencies: [{ name: 'みなと市障害福祉課', role: '支給決定', contactPerson: '鈴木', phone: '03-3333-4444' }],
      reviews: [{ id: 'rv-1', reviewedOn: '2026-04-01', reviewedBy: '小野 恵美', reviewedByUserId: 'u-1', note: '', recordedAt: '2026-04-01T01:00:00.000Z' }],
      withdrawal: { date: '2026-05-01', reason: '転居のため' },
      officeId: 'office-2',
      officeMoves: [{ at: '2026-04-10T00:00:00.000Z', byUserId: 'u-1', byName: '小野 恵美', from: 'office-1', to: 'office-2', reason: '担当の変更' }],
    });
  }

  type Path = readonly (string | number)[];

  /** Where each object in `v` is (the top is []), list items included. */
  function objectPaths(v: unknown, at: Path = []): Path[] {
    if (Array.isArray(v)) return v.flatMap((item: unknown, i) => objectPaths(item, [...at, i]));
    if (typeof v !== 'object' || v === null) return [];
    return [at, ...Object.entries(v).flatMap(([k, item]) => objectPaths(item, [...at, k]))];
  }

  /** `v` with `key: value` set in the object at `path`. */
  function withKeyAt(v: unknown, path: Path, key: string, value: unknown): unknown {
    if (path.length === 0) return { ...(v as object), [key]: value };
    const [head, ...rest] = path;
    if (Array.isArray(v)) return v.map((item: unknown, i) => (i === head ? withKeyAt(item, rest, key, value) : item));
    const o = v as Record<string, unknown>;
    return { ...o, [head!]: withKeyAt(o[head!], rest, key, value) };
  }

  function objectAt(v: unknown, path: Path): object {
    return path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], v) as object;
  }

  const paths = objectPaths(everyObject());
  const japanese = /[ぁ-んァ-ヶ一-龠]/;

  it('[V1] keeps a field this app does not know in any object, list items included, as it came, and checks the known fields beside it as strictly as ever', () => {
    // tried in every kind of object the form keeps
    expect(paths.map((p) => p.join('.'))).toEqual([
      '',
      'persons.0',
      'persons.0.handbooks',
      'persons.0.doctors.0',
      'persons.0.services.0',
      'persons.0.pastShortStays.0',
      'persons.0.dailyLiving',
      'persons.0.enrolments',
      'persons.0.enrolments.settlement.0',
      'emergencyContacts.0',
      'family.0',
      'agencies.0',
      'consent',
      'reviews.0',
      'withdrawal',
      'officeMoves.0',
    ]);
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        fc.string().map((s) => `newer${s}`),
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown),
        (path, key, value) => {
          const newer = withKeyAt(everyObject(), path, key, value) as Household;
          // an older phone edits the note and saves: everything else goes back as the newer app wrote it
          const edited = { ...newer, note: '母が入院中' };
          expect(validateHousehold(edited)).toEqual({ ok: true, value: edited });
          // the object's first known field given a wrong value is still refused there, with the form's message
          const first = Object.keys(objectAt(newer, path))[0]!;
          const wrong = validateHousehold(withKeyAt(edited, path, first, { wrong: true }));
          expect(messageAt(wrong, [...path, first].join('.'))).toMatch(japanese);
        },
      ),
    );
  });
});

describe('emptyPerson / emptyHousehold', () => {
  it('starts a draft with one blank person whose id derives from the household', () => {
    const h = emptyHousehold('h-9', '2026-11-23T00:00:00.000Z');
    expect(h.persons.map((p) => p.id)).toEqual(['h-9-p1']);
    expect(h.consent).toBeNull();
    expect(h.createdAt).toBe(h.updatedAt);
    expect(emptyPerson('p').supportLevel).toBeNull();
  });
});
