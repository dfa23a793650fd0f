import type { FrontMatter, Speaker } from './schema.ts';

/**
 * Front matter that users ask about (speakers, abstract, DR figures, tips) is also indexed:
 * it is turned into sections of text, like the notes themselves, in Korean and, where the note
 * has its English fields, in English.
 */
export interface DescribedSection {
  headingPath: string[];
  text: string;
  textEn?: string;
}

/** The heading of the section that holds a session's time, slot, speakers and abstract. */
export const SESSION_INFO_HEADING = '세션 정보 (Session Info)';

export function formatSpeaker(speaker: Speaker): string {
  return `${speaker.name} (${speaker.role}, ${speaker.company})`;
}

export function formatSpeakerEn(speaker: Speaker): string {
  const name = speaker.name_en && speaker.name_en !== speaker.name ? `${speaker.name_en} (${speaker.name})` : speaker.name;
  return `${name}, ${speaker.role_en ?? speaker.role}, ${speaker.company_en ?? speaker.company}`;
}

/** Both lists, or undefined when the English one is missing or does not match item for item. */
function pairedEnglish(items: string[], english: string[] | undefined): string[] | undefined {
  return english && english.length === items.length ? english : undefined;
}

function sessionSections(meta: Extract<FrontMatter, { kind: 'session' }>): DescribedSection[] {
  const speakers = meta.speakers.length > 0 ? meta.speakers.map(formatSpeaker).join(', ') : '기록 없음';
  const speakersEn = meta.speakers.length > 0 ? meta.speakers.map(formatSpeakerEn).join('; ') : 'not recorded';
  const slot = `Day ${meta.day} · Session ${meta.slot} · ${meta.start}–${meta.end}`;
  const info = [
    slot,
    `연사(발표자)와 소속: ${speakers}`,
    `참석: ${meta.attended ? '참석함' : '참석하지 못함'}${meta.attendance_note ? ` (${meta.attendance_note})` : ''}`,
    `소개: ${meta.abstract}`,
  ];
  const attendanceNoteEn = meta.attendance_note_en ?? meta.attendance_note;
  const infoEn = meta.abstract_en
    ? [
        slot,
        `Speakers: ${speakersEn}`,
        `Attendance: ${meta.attended ? 'attended' : 'not attended'}${attendanceNoteEn ? ` (${attendanceNoteEn})` : ''}`,
        `Abstract: ${meta.abstract_en}`,
      ]
    : undefined;
  const sections: DescribedSection[] = [{ headingPath: [SESSION_INFO_HEADING], text: info.join('\n'), ...(infoEn ? { textEn: infoEn.join('\n') } : {}) }];

  const outlineEn = pairedEnglish(meta.outline, meta.outline_en);
  const takeawaysEn = pairedEnglish(meta.takeaways, meta.takeaways_en);
  if (meta.outline.length + meta.takeaways.length > 0) {
    const numbered = (items: string[]) => items.map((item, i) => `${i + 1}. ${item}`).join('\n');
    const bullets = (items: string[]) => items.map((item) => `- ${item}`).join('\n');
    const join = (parts: string[]) => parts.filter(Boolean).join('\n\n');
    const text = join([
      meta.outline.length > 0 ? `목차:\n${numbered(meta.outline)}` : '',
      meta.takeaways.length > 0 ? `핵심 내용:\n${bullets(meta.takeaways)}` : '',
    ]);
    const complete = (meta.outline.length === 0 || outlineEn) && (meta.takeaways.length === 0 || takeawaysEn);
    const textEn = complete
      ? join([outlineEn?.length ? `Outline:\n${numbered(outlineEn)}` : '', takeawaysEn?.length ? `Key points:\n${bullets(takeawaysEn)}` : ''])
      : undefined;
    sections.push({ headingPath: ['목차와 핵심 내용 (Outline & Key Points)'], text, ...(textEn ? { textEn } : {}) });
  }
  return sections;
}

export function describeFrontMatter(meta: FrontMatter): DescribedSection[] {
  switch (meta.kind) {
    case 'session':
      return sessionSections(meta);
    case 'dr-strategies': {
      const text = meta.strategies
        .map((s) => `- ${s.name_ko} (${s.name}): RTO ${s.rto_label}, RPO ${s.rpo_label}, 비용 ${s.cost_label}. 복구 리전: ${s.idle_footprint}`)
        .join('\n');
      const english = meta.strategies.every((s) => s.rto_label_en && s.rpo_label_en && s.cost_label_en && s.idle_footprint_en);
      const textEn = english
        ? meta.strategies
            .map((s) => `- ${s.name} (${s.name_ko}): RTO ${s.rto_label_en}, RPO ${s.rpo_label_en}, cost ${s.cost_label_en}. Recovery region: ${s.idle_footprint_en}`)
            .join('\n')
        : undefined;
      return [{ headingPath: ['전략별 RTO·RPO·비용 비교 (RTO, RPO and Cost by Strategy)'], text, ...(textEn ? { textEn } : {}) }];
    }
    case 'tips':
      return meta.tips.map((tip) => {
        const topicEn = tip.topics.find((topic) => !/\p{Script=Hangul}/u.test(topic)) ?? tip.id;
        return { headingPath: [`팁: ${tip.topics[0] ?? tip.id} (Tip: ${topicEn})`], text: tip.text, ...(tip.text_en ? { textEn: tip.text_en } : {}) };
      });
    case 'event':
    case 'topic':
      return [];
  }
}
