import type { FrontMatter, Speaker } from './schema.ts';

/**
 * Front matter that users ask about (speakers, abstract, DR figures, tips) is also indexed:
 * it is turned into sections of Korean text, like the notes themselves.
 */
export interface DescribedSection {
  headingPath: string[];
  text: string;
}

export function formatSpeaker(speaker: Speaker): string {
  return `${speaker.name} (${speaker.role}, ${speaker.company})`;
}

export function describeFrontMatter(meta: FrontMatter): DescribedSection[] {
  switch (meta.kind) {
    case 'session': {
      const speakers = meta.speakers.length > 0 ? meta.speakers.map(formatSpeaker).join(', ') : '기록 없음';
      const attendance = meta.attended ? '참석함' : '참석하지 못함';
      const info = [
        `Day ${meta.day} · Session ${meta.slot} · ${meta.start}–${meta.end}`,
        `연사(발표자)와 소속: ${speakers}`,
        `참석: ${attendance}${meta.attendance_note ? ` (${meta.attendance_note})` : ''}`,
        `소개: ${meta.abstract}`,
      ];
      const sections: DescribedSection[] = [{ headingPath: ['세션 정보'], text: info.join('\n') }];
      const outline = meta.outline.map((item, i) => `${i + 1}. ${item}`);
      const takeaways = meta.takeaways.map((item) => `- ${item}`);
      if (outline.length + takeaways.length > 0) {
        const parts = [outline.length > 0 ? `목차:\n${outline.join('\n')}` : '', takeaways.length > 0 ? `핵심 내용:\n${takeaways.join('\n')}` : ''];
        sections.push({ headingPath: ['목차와 핵심 내용'], text: parts.filter(Boolean).join('\n\n') });
      }
      return sections;
    }
    case 'dr-strategies':
      return [
        {
          headingPath: ['전략별 RTO·RPO·비용 비교'],
          text: meta.strategies
            .map((s) => `- ${s.name_ko} (${s.name}): RTO ${s.rto_label}, RPO ${s.rpo_label}, 비용 ${s.cost_label}. 복구 리전: ${s.idle_footprint}`)
            .join('\n'),
        },
      ];
    case 'tips':
      return meta.tips.map((tip) => ({ headingPath: [`팁: ${tip.topics[0] ?? tip.id}`], text: tip.text }));
    case 'event':
    case 'topic':
      return [];
  }
}
