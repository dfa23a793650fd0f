import { z } from 'zod';

/** `HH:MM`, 24-hour clock. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM (24-hour), e.g. "14:20"');

/** A duration as written in knowledge files: `0`, `30s`, `15m`, `4h`, `1d`. */
export const durationText = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().regex(/^(0|\d+(\.\d+)?[smhd])$/, 'must be a duration like 0, 30s, 15m, 4h or 1d'));

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** `x_en` fields hold our English rendering of `x`: restated, faithful, no new facts. */
const english = nonEmpty.optional();

export const speakerSchema = z.object({
  name: nonEmpty,
  role: nonEmpty,
  company: nonEmpty,
  /** The name in Latin letters, e.g. "Kim Ji-hoon". */
  name_en: english,
  role_en: english,
  company_en: english,
});

const baseFields = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, e.g. "dr-session"'),
  title: nonEmpty,
  title_en: english,
  /** English terms, aliases and Korean spellings of English terms, so questions in either language find the note. */
  keywords: z.array(nonEmpty).default([]),
  /** Free tags that commands use to scope search, e.g. `dr`. */
  tags: z.array(nonEmpty).default([]),
  /** Ids of notes worth reading next. */
  related: z.array(nonEmpty).default([]),
};

export const topicFrontMatter = z.object({ ...baseFields, kind: z.enum(['event', 'topic']) }).strict();

export const sessionFrontMatter = z
  .object({
    ...baseFields,
    kind: z.literal('session'),
    day: z.number().int().min(1),
    /** The session number within its day, as printed in the agenda ("Day 2 | Session 3"). */
    slot: z.number().int().min(1),
    start: clockTime,
    end: clockTime,
    /** Empty when the source does not name the speakers. */
    speakers: z.array(speakerSchema),
    abstract: nonEmpty,
    abstract_en: english,
    outline: z.array(nonEmpty),
    /** Item by item, the English of `outline`. */
    outline_en: z.array(nonEmpty).optional(),
    attended: z.boolean(),
    /** Why the session was not attended, or anything about attending it. */
    attendance_note: z.string().optional(),
    attendance_note_en: english,
    takeaways: z.array(nonEmpty).default([]),
    takeaways_en: z.array(nonEmpty).optional(),
  })
  .strict();

export const drStrategySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: nonEmpty,
    name_ko: nonEmpty,
    aliases: z.array(nonEmpty).default([]),
    /** Worst-case recovery time this strategy typically achieves. */
    rto: durationText,
    /** Worst-case data-loss window this strategy typically achieves. */
    rpo: durationText,
    rto_label: nonEmpty,
    rto_label_en: english,
    rpo_label: nonEmpty,
    rpo_label_en: english,
    /** 1 = cheapest. */
    cost_rank: z.number().int().min(1),
    cost_label: nonEmpty,
    cost_label_en: english,
    /** What runs (idle or scaled down) in the recovery region. */
    idle_footprint: nonEmpty,
    idle_footprint_en: english,
    /** When the session recommends it. */
    when: nonEmpty,
    when_en: english,
    services: z.array(nonEmpty).default([]),
    /** Item by item, the English of `services`. */
    services_en: z.array(nonEmpty).optional(),
  })
  .strict();

export const drStrategiesFrontMatter = z
  .object({
    ...baseFields,
    kind: z.literal('dr-strategies'),
    /** Where the figures come from. */
    figures_source: nonEmpty,
    figures_source_en: english,
    strategies: z.array(drStrategySchema).min(1),
  })
  .strict();

export const tipSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    text: nonEmpty,
    text_en: english,
    /** Topic words in Korean and English that `/tip <topic>` matches. */
    topics: z.array(nonEmpty).min(1),
    /** Id of the note the tip comes from. */
    source: nonEmpty,
  })
  .strict();

export const tipsFrontMatter = z
  .object({ ...baseFields, kind: z.literal('tips'), tips: z.array(tipSchema).min(1) })
  .strict();

export const frontMatterSchema = z.discriminatedUnion('kind', [
  topicFrontMatter,
  sessionFrontMatter,
  drStrategiesFrontMatter,
  tipsFrontMatter,
]);

export const KNOWN_KINDS = ['event', 'topic', 'session', 'dr-strategies', 'tips'] as const;

export type FrontMatter = z.infer<typeof frontMatterSchema>;
export type SessionFrontMatter = z.infer<typeof sessionFrontMatter>;
export type DrStrategy = z.infer<typeof drStrategySchema>;
export type Tip = z.infer<typeof tipSchema>;
export type Speaker = z.infer<typeof speakerSchema>;
