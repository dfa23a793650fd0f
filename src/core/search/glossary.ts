import { hangulBigrams, isHangul, normalize, pieces, stemLatin, stripParticle, wordTerms } from './tokenizer.ts';

/**
 * Groups of terms that mean the same thing, across English, Korean and transliterations.
 * When a question uses one term of a group, the others are added to the query at a lower weight,
 * so English questions find Korean notes and vice versa. General vocabulary of cloud, databases and
 * conferences, not answers to particular questions.
 */
export const GLOSSARY: readonly (readonly string[])[] = [
  // Disaster recovery
  ['disaster recovery', '재해복구', '재해 복구', 'dr', '재난 복구'],
  ['disaster', '재해', '재난'],
  ['natural disaster', '자연재해', '천재지변'],
  ['human error', '휴먼 액션', '인적 오류', '사람 실수'],
  ['backup and restore', 'backup & restore', 'backup/restore', '백업 앤 리스토어', '백업 및 복구', '백업 복구', '백업과 복원'],
  ['backup', '백업'],
  ['restore', 'recover', 'recovery', '복원', '복구', '리스토어'],
  ['pilot light', '파일럿 라이트', '파일럿'],
  ['warm standby', '웜 스탠바이', '웜스탠바이', '스탠바이'],
  ['multi-site', 'multi site', 'multisite', '멀티 사이트', '멀티사이트', 'active/active', 'active-active', '액티브 액티브', 'a/a'],
  ['recovery time objective', 'rto', '복구 시간 목표', '복구시간', '복구 시간', 'downtime', '다운타임', '중단 시간'],
  ['recovery point objective', 'rpo', '복구 시점 목표', '복구시점', '복구 시점', 'data loss', '데이터 손실'],
  ['elastic disaster recovery', 'aws elastic disaster recovery', 'edr', 'drs', '일래스틱 디재스터 리커버리', '엘라스틱 디재스터 리커버리', '일래스틱 재해 복구'],
  ['aws backup', 'aws 백업'],
  ['business continuity', '비즈니스 지속성', '비즈니스 연속성', '업무 연속성'],
  ['failover', '장애 조치', '절체', '페일오버'],
  ['failback', 'fail back', '페일백'],
  ['outage', 'failure', 'incident', '장애', '장애상황', '중단'],
  ['ransomware', '랜섬웨어'],
  ['replication', 'replicate', 'replica', '복제', '레플리카'],
  ['metadata', '메타데이터', '메타 데이터'],
  ['configuration', 'config', 'settings', '구성', '설정', '구성 정보'],
  ['cmdb', 'configuration management database', '구성관리데이터베이스', '구성 관리 데이터베이스'],
  ['test', 'testing', 'drill', 'validation', 'verify', '테스트', '검증', '훈련'],
  ['production', 'prod', '운영 환경', '프로덕션', '운영계'],
  ['idle', '유휴'],
  ['recovery site', '복구 사이트'],
  // Infrastructure and operations
  ['infrastructure as code', 'iac', '코드형 인프라', '인프라 코드화', '인프라를 코드'],
  ['infrastructure', 'infra', '인프라'],
  ['cloudformation', '클라우드포메이션'],
  ['terraform', '테라폼'],
  ['cloud development kit', 'cdk'],
  ['codebuild', 'code build', '코드빌드'],
  ['ci/cd', 'cicd', 'pipeline', '파이프라인'],
  ['automation', 'automate', 'automated', 'automatic', '자동화', '자동'],
  ['auto scaling', 'autoscaling', 'auto-scaling', '오토 스케일링', '오토스케일링'],
  ['policy', 'policies', '정책'],
  ['spot instance', 'spot', '스팟 인스턴스', '스팟'],
  ['on-demand', 'on demand', '온디맨드'],
  ['graviton', 'arm', 'arm64', 'aarch64', '그래비톤', '그라비톤'],
  ['serverless', '서버리스'],
  ['container', '컨테이너'],
  ['region', '리전', '지역'],
  ['multi-region', 'multi region', 'cross-region', '멀티리전', '멀티 리전', '리전 간'],
  ['global', 'worldwide', '글로벌', '전세계'],
  ['global table', 'global tables', '글로벌 테이블'],
  ['latency', '레이턴시', '지연 시간', '지연'],
  ['cost', 'costs', 'price', 'pricing', 'billing', 'bill', 'bills', 'spend', 'spending', 'expense', '비용', '과금', '가격', '요금'],
  ['cheap', 'cheaper', 'cheapest', 'save', 'saving', 'savings', 'cut', 'lower', 'reduce', 'reduce cost', '저렴', '절감', '비용 절감', '최소한의 비용'],
  ['cost optimization', 'cost optimisation', '비용 최적화'],
  ['on-premises', 'on-premise', 'on premises', 'on premise', 'onpremise', 'on-prem', 'onprem', '온프레미스', '온프렘'],
  ['cloud', '클라우드'],
  ['hybrid', '하이브리드'],
  ['compute', '컴퓨트', '컴퓨팅'],
  ['storage', '스토리지', '저장소'],
  ['block storage', '블록 스토리지'],
  ['file storage', '파일 스토리지'],
  ['object storage', '오브젝트 스토리지', 's3'],
  ['resource', 'resources', '리소스', '자원'],
  ['supported', 'support', 'supports', '지원', '지원 대상'],
  ['type', 'types', 'kind', 'kinds', 'category', '종류', '유형', '대상'],
  ['fully managed', '완전관리형', '완전 관리형'],
  ['managed', '관리형'],
  ['self-managed', 'self-run', 'self-hosted', 'self hosted', 'do-it-yourself', '자체 관리형', '직접 운영'],
  ['engine', 'engines', '엔진'],
  ['centralized', 'central', '중앙 집중식', '중앙'],
  // Security
  ['security', 'secure', '보안'],
  ['encryption', 'encrypt', '암호화'],
  ['access control', '접근 통제', '접근 제어'],
  ['authentication', 'authorization', 'permission', 'iam', '인증', '권한', '권한 관리'],
  ['masking', '마스킹'],
  ['monitoring', 'observability', 'surveillance', '감시', '모니터링', '관측성'],
  ['audit', 'tracing', 'tracking', 'trace', '추적', '감사'],
  ['credentials', 'credential', 'password', 'secret', 'secrets', 'connection string', '자격 증명', '연결 정보', '비밀번호', '시크릿'],
  ['plaintext', 'plain text', 'hard-code', 'hardcode', 'hardcoded', '평문', '하드코딩'],
  ['secrets manager', 'aws secrets manager', '시크릿 매니저'],
  ['best practice', 'best practices', '모범 사례'],
  ['definition', 'define', 'meaning', 'mean', '정의', '의미', '뜻'],
  // DevOps and organisation
  ['devops', '데브옵스'],
  ['reliability', '신뢰성', '안정성'],
  ['governance', '거버넌스'],
  ['organization', 'organisation', 'team', '조직', '팀'],
  ['principle', 'principles', '원칙'],
  ['pyramid', '피라미드'],
  ['layer', 'layers', 'level', 'levels', '단계', '층'],
  // Databases
  ['database', 'databases', 'db', '데이터베이스', '디비'],
  ['open source', 'open-source', 'opensource', 'oss', '오픈소스', '오픈 소스'],
  ['oracle', '오라클'],
  ['de-oracle', 'deoracle', 'leave oracle', 'oracle exit', '탈 오라클', '탈오라클'],
  ['commercial database', 'proprietary', '상용 데이터베이스', '상용'],
  ['migration', 'migrate', 'migrating', 'move', '마이그레이션', '이관', '이전'],
  ['transition', 'conversion', 'convert', 'switch', '전환', '변환'],
  ['modernization', 'modernisation', 'modernize', '현대화'],
  ['purpose-built', 'purpose built', '목적 지향', '목적에 맞는', '전문화된'],
  ['relational', 'rdbms', '관계형'],
  ['non-relational', 'nosql', '비관계형', '비 관계형'],
  ['cache', 'caching', '캐시', '캐싱', '캐쉬'],
  ['in-memory', 'in memory', '인메모리'],
  ['key-value', 'key value', '키-밸류', '키 밸류', '키밸류'],
  ['document', 'documents', '도큐먼트', '문서'],
  ['documentdb', 'document db', 'document database'],
  ['wide column', 'wide-column', '와이드 컬럼'],
  ['keyspaces', 'cassandra', '카산드라'],
  ['graph', '그래프'],
  ['time series', 'time-series', 'timeseries', '시계열', '시간대 별', '시간 별'],
  ['ledger', '원장'],
  ['iot', 'sensor', '센서'],
  ['recommendation', 'recommender', '추천', '추천 엔진'],
  ['social graph', '소셜 그래프'],
  ['log', 'logs', '로그'],
  ['aurora', '오로라'],
  ['dynamodb', 'dynamo', '다이나모디비', '다이나모'],
  ['elasticache', '엘라스티캐시', '일래스티캐시'],
  ['memorydb', 'memory db', '메모리db', '메모리디비'],
  ['documentdb', '도큐먼트db', '도큐먼트디비', '다큐먼트db'],
  ['keyspaces', '키스페이스', '키스페이시스'],
  ['rds', 'relational database service', '알디에스'],
  ['s3', 'simple storage service', '에스3'],
  ['neptune', '넵튠'],
  ['timestream', '타임스트림'],
  ['qldb', 'quantum ledger'],
  ['sql server', 'mssql', 'ms-sql', 'ms sql', 'microsoft sql'],
  ['mysql', '마이에스큐엘'],
  ['change data capture', 'cdc'],
  ['tool', 'tools', 'tooling', '도구', '툴'],
  ['consideration', 'considerations', 'checklist', 'prerequisite', 'preparation', '고려사항', '고려 사항', '준비사항', '준비 사항', '체크리스트'],
  ['rds custom', 'rds custom for oracle'],
  ['microservices', 'microservice', 'msa', '마이크로 서비스', '마이크로서비스'],
  ['monolith', 'monolithic', '모놀리식', '모놀리스'],
  ['two-pizza team', 'two pizza team', '2 피자 팀', '투 피자 팀'],
  ['distributed', 'sharding', 'shard', '분산'],
  ['refactoring', 'refactor', '리팩토링', '리팩터링', '구조개선', '구조 개선'],
  ['scalability', 'scale', 'scaling', '확장성', '확장', '스케일링'],
  ['horizontal', 'scale out', '수평'],
  ['vertical', 'scale up', '수직'],
  ['performance', 'speed', 'fast', '성능', '속도'],
  ['license', 'licence', 'licensing', '라이센스', '라이선스'],
  ['lock-in', 'lock in', 'vendor lock-in', 'dependency', 'dependencies', '종속성', '의존성', '종속'],
  ['tco', 'total cost of ownership', '총소유비용'],
  ['network', '망', '네트워크'],
  ['network management', '망 관리'],
  ['sql', 'query', '쿼리'],
  ['guide', 'guideline', '가이드', '가이드라인'],
  ['plan', 'plans', 'roadmap', 'future', 'next steps', '계획', '향후', '향후계획', '로드맵'],
  ['goal', 'goals', 'objective', 'target', 'aim', '목표'],
  ['step', 'steps', 'stage', 'stages', 'phase', 'phases', '단계', '스텝', '절차'],
  ['strategy', 'strategies', 'approach', 'pattern', 'patterns', '전략', '방식'],
  ['journey', '여정'],
  ['lesson', 'lessons learned', 'lesson learned', '교훈', '배운 점'],
  ['case study', 'case', 'customer story', '사례', '고객 사례'],
  ['problem', 'issue', 'issues', 'challenge', '문제', '이슈', '과제'],
  ['benefit', 'benefits', 'advantage', 'advantages', 'pros', 'merit', 'upside', 'upsides', '장점', '이점', '효과', '좋은 점'],
  ['architecture', '아키텍처', '구조'],
  ['feature', 'features', 'function', 'functions', '기능'],
  // The event
  ['aws summit', 'summit', '써밋', '서밋', '써미트', '서미트'],
  ['conference', 'event', '컨퍼런스', '콘퍼런스', '행사'],
  ['offline', 'in person', 'in-person', '오프라인', '현장', '실물'],
  ['online', 'virtual', '온라인', '비대면'],
  ['keynote', '기조연설', '기조 연설', '키노트'],
  ['session', 'sessions', 'talk', 'talks', 'lecture', 'presentation', '세션', '강연', '발표'],
  ['speaker', 'speakers', 'presenter', 'guest', 'guests', '연사', '발표자', '강연자', '스피커'],
  ['venue', 'hall', 'room', '베뉴', '홀', '강연장'],
  ['place', 'location', 'where', '장소', '위치'],
  ['held', 'take place', 'took place', 'takes place', 'taking place', '열리', '열렸', '열린', '개최'],
  ['coex', '코엑스'],
  ['auditorium', '오디토리움'],
  ['floor', 'basement', '층', '지하'],
  ['date', 'dates', 'day', 'days', '날짜', '일자', '기간', '일정'],
  ['day 1', 'day one', 'first day', '첫째 날', '첫째날', '첫날', '1일차', '5월 3일'],
  ['day 2', 'day two', 'second day', '둘째 날', '둘째날', '2일차', '5월 4일'],
  ['difference', 'differences', 'differ', 'compare', 'comparison', 'versus', 'vs', '차이', '차이점', '비교'],
  ['company', 'companies', 'employer', 'affiliation', 'firm', '회사', '소속', '기업'],
  ['q&a', 'qna', 'questions and answers', 'panel', 'panel discussion', 'interview', '질의응답', '질의 응답', '문답', '대담', '패널'],
  ['host', 'hosted', 'moderator', 'moderated', 'moderate', 'mc', 'emcee', 'facilitator', '진행', '사회', '모더레이터'],
  ['sync', 'synchronize', 'synchronization', 'in sync', 'replicate changes', '동기화'],
  ['cutover', 'cut over', 'switchover', 'switch over', 'go-live', '컷오버', '절체', '전환'],
  ['independent', 'own', 'owns', 'dedicated', 'separate', 'isolated', '독립', '독립된', '전용', '분리'],
  ['instance', 'instances', 'server', 'servers', 'vm', '인스턴스', '서버'],
  ['access', 'login', 'shell access', '접근', '권한', '접속'],
  ['operating system', 'os', '운영체제'],
  ['workload', 'workloads', '워크로드'],
  ['visited', 'visit', 'visiting', '방문', '들르'],
  ['parallel', 'concurrent', 'concurrently', 'simultaneous', 'simultaneously', 'at once', 'same time', '동시', '동시에'],
  ['how many', 'number of', 'count', '몇 개', '몇개', '개수'],
  ['one', 'first', '1', '하나', '한 가지', '첫째'],
  ['two', 'second', '2', '둘', '두 가지', '둘째'],
  ['three', 'third', '3', '셋', '세 가지', '셋째'],
  ['four', 'fourth', '4', '넷', '네 가지', '넷째'],
  ['five', 'fifth', '5', '다섯', '다섯 가지', '다섯째'],
  ['six', 'sixth', '6', '여섯', '여섯 가지'],
  ['seven', 'seventh', '7', '일곱', '일곱 가지'],
  ['live', 'in person', 'on stage', 'stage', '직접', '무대', '현장'],
  ['stream', 'streaming', 'screen', 'screens', 'broadcast', 'relay', '중계', '실시간', '화면', '스크린'],
  ['data', '데이터'],
  ['connected', 'connection', 'relationship', 'relationships', '연결', '연결된', '관계'],
  ['highly', 'heavily', '고도로'],
  ['record', 'records', 'history', '기록'],
  ['sensor', 'sensors', 'iot', '센서'],
  ['second', 'seconds', 'secs', '초', '수초', '수 초'],
  ['minute', 'minutes', 'mins', '분', '수분', '수 분'],
  ['hour', 'hours', '시간', '수 시간'],
  ['fast', 'quick', 'quickly', 'speed', 'rapid', '빠른', '빠르게', '신속'],
  ['lose', 'loss', 'lost', '손실', '잃'],
  ['critical', 'mission critical', 'mission-critical', '크리티컬', '치명적', '중요'],
  ['expensive', 'high cost', 'costly', '고비용', '비싼'],
  ['why', 'reason', 'because', '이유', '왜'],
  ['schedule', 'agenda', 'timetable', 'time table', 'program', '일정', '아젠다', '시간표', '프로그램'],
  ['time', '시간', '시각'],
  ['start', 'begin', 'kick off', 'kickoff', 'open', '시작', '개막'],
  ['morning', 'am', 'a.m.', '오전', '아침'],
  ['afternoon', 'pm', 'p.m.', '오후'],
  ['track', 'tracks', '트랙'],
  ['industry', 'industries', 'sector', '산업', '업종'],
  ['technical', 'technology', 'tech', '기술'],
  ['beginner', 'introductory', '입문'],
  ['intermediate', '중급'],
  ['advanced', 'deep dive', '심화'],
  ['lunch', '점심', '런치'],
  ['lunch box', 'lunchbox', 'boxed lunch', 'bento', '런치박스', '런치 박스', '도시락'],
  ['food', 'meal', 'eat', '음식', '식사', '먹'],
  ['salad', '샐러드'],
  ['fruit', '과일'],
  ['cookie', 'cookies', '쿠키'],
  ['wristband', 'rubber band', 'band', '고무밴드', '고무 밴드', '팔찌', '밴드'],
  ['badge', 'name tag', 'nametag', 'name badge', 'lanyard', 'name card', '배지', '뱃지', '이름표', '명찰', '카드 목걸이', '목걸이'],
  ['tag', 'tagging', 'tagged', 'tracked', 'scan', 'scanned', '태깅', '태그'],
  ['entrance', 'entry', 'enter', 'admission', 'check-in', 'check in', '입장', '출입'],
  ['registration', 'register', 'pre-registration', 'sign up', '사전신청', '사전 신청', '등록', '신청'],
  ['expo', 'exhibition', 'exhibit', '엑스포', '전시', '전시장'],
  ['booth', 'booths', 'sponsor', 'sponsors', 'exhibitor', '부스', '스폰서'],
  ['swag', 'goodies', 'giveaway', 'giveaways', 'freebies', 'merch', 'souvenir', 'prize', 'prizes', 'gift', '기념품', '굿즈', '경품', '상품', '사은품', '선물'],
  ['bag', '가방'],
  ['watch', '시계'],
  ['wireless charger', 'wireless charging', 'charging stand', '무선 충전', '무선충전', '충전 거치대'],
  ['survey', 'questionnaire', '설문', '설문조사'],
  ['consultation', 'consulting', 'consult', '상담', '컨설팅'],
  ['experience', 'hands-on', 'demo', '체험', '데모'],
  ['queue', 'line up', 'line', 'wait in line', 'waiting', 'lineup', '줄', '줄서기', '줄을 서', '대기'],
  ['early', 'ahead', 'beforehand', 'in advance', 'arrive', '일찍', '미리', '넉넉히', '먼저'],
  ['popular', 'crowded', 'busy', '인기', '인기 있는', '붐비'],
  ['full', 'sold out', 'capacity', 'no seats', 'closed', '마감', '만석', '입장 불가', '조기 마감'],
  ['standing', 'standing room', '스탠딩', '스탠딩 좌석', '입석'],
  ['seat', 'seats', 'seating', '좌석', '자리'],
  ['attend', 'attended', 'attendance', 'join', '참석', '참가', '참여'],
  ['missed', 'miss', 'could not', 'couldnt', 'skip', '못', '놓친', '불참'],
  ['break', 'breaks', 'rest', 'pause', '쉬는 시간', '휴식', '쉬는시간'],
  ['materials', 'slides', 'slide deck', 'deck', '자료', '발표 자료', '강연 자료', '슬라이드'],
  ['video', 'videos', 'recording', 'recordings', 'replay', 'vod', 'movie', 'film', '영상', '동영상', '다시보기', '영화'],
  ['publish', 'published', 'release', 'released', 'available', '공개', '게시'],
  ['june', '6월'],
  ['may', '5월'],
  ['homepage', 'website', 'site', 'link', 'url', '홈페이지', '웹사이트', '링크'],
  ['people', 'crowd', 'attendees', 'participants', 'audience', '사람', '참가자', '참석자', '인파'],
  ['impression', 'review', 'thoughts', 'feelings', 'takeaway', 'recap', '소감', '후기', '느낀 점', '회고'],
  ['author', 'writer', 'blogger'],
  ['motivation', 'motivated', 'inspired', '동기 부여', '동기부여'],
  ['asynchronous', 'async', 'asynchrony', '비동기', '비동기적'],
  ['synchronous', 'sync', '동기적'],
  ['event-driven', 'event driven', '이벤트 드리븐', '이벤트 기반'],
  ['loosely coupled', 'loose coupling', '느슨하게 결합', '느슨한 결합'],
  ['cto', 'chief technology officer', '최고기술책임자'],
  ['evangelist', '에반젤리스트'],
  ['solutions architect', 'sa', '솔루션즈 아키텍트', '솔루션스 아키텍트'],
  ['startup', 'startups', 'start-up', '스타트업'],
  ['translation', 'translate', '번역'],
  ['werner vogels', 'vogels', 'werner', '버너 보겔스', '보겔스', '베르너 보겔스'],
  ['flitto', '플리토'],
  ['tango', '탱고', '탄고'],
  ['redis', '레디스'],
  ['mongodb', 'mongo', '몽고디비', '몽고db'],
  ['red hat', 'redhat', '레드햇', '레드hat'],
  ['megazone', 'megazone cloud', '메가존', '메가존클라우드', '메가존 클라우드'],
  ['lg cns', 'lgcns', '엘지씨엔에스'],
  ['galaxy', '갤럭시'],
  ['samsung', '삼성'],
  ['etevers', '에티버스'],
  ['sk telecom', 'skt', 'sk텔레콤', 'sk 텔레콤'],
  ['lg u+', 'lgu+', 'lg uplus', '엘지유플러스', 'lg 유플러스'],
  ['re:invent', 'reinvent', 're invent', '리인벤트'],
  ['node.js', 'nodejs', 'node', '노드'],
  ['research fellow', '연구위원'],
  ['youngest', '최연소'],
];

/**
 * What the named things of the notes are, for askers who know a thing by its kind rather than its name ("which
 * convention center", "what processor", "any telcos at the expo"). Unlike the synonyms above it goes one way: a
 * question naming the kind searches the things and is answered by a passage naming one of them, weighing as the
 * thing does; a question naming the thing is left as it was.
 */
export const KINDS: readonly { kind: readonly string[]; things: readonly string[] }[] = [
  { kind: ['convention center', 'convention centre', '컨벤션 센터', '컨벤션센터'], things: ['coex', '코엑스'] },
  { kind: ['processor', 'processors', 'chip', 'chips', 'cpu', 'cpus', '프로세서', '칩'], things: ['graviton', '그래비톤'] },
  {
    kind: ['telco', 'telcos', 'telecom company', 'telecoms', 'carrier', 'carriers', 'mobile carrier', '통신사', '이통사', '이동통신사'],
    things: ['sk telecom', 'skt', 'lg u+', 'lgu+'],
  },
  { kind: ['system integrator', 'system integrators', 'si', '에스아이', '시스템 통합'], things: ['lg cns'] },
  { kind: ['msp', 'partner', 'partners', '파트너', '파트너사'], things: ['megazone', '메가존'] },
  { kind: ['linux', '리눅스'], things: ['red hat', 'redhat'] },
  { kind: ['translation', 'translate', '번역'], things: ['flitto', '플리토'] },
  { kind: ['smartphone', 'smartphones', 'phone', 'phones', '스마트폰', '휴대폰', '핸드폰'], things: ['galaxy', '갤럭시'] },
  { kind: ['runtime', 'javascript', '런타임', '자바스크립트'], things: ['node.js', 'nodejs'] },
  { kind: ['immutable', '불변'], things: ['qldb'] },
  { kind: ['json', '제이슨'], things: ['documentdb'] },
];

interface Matcher {
  /** Latin words (stemmed) that must appear in order. */
  latin: string[];
  /** Hangul text with spaces removed, matched inside the query. */
  hangul: string;
}

export interface GlossaryEntry {
  terms: readonly string[];
  matchers: Matcher[];
  /** Word terms and Hangul bigrams of all the group's terms, tokenized once. */
  words: string[];
  grams: string[];
  /**
   * Each term as the word terms that must all occur for a passage to use it ("recovery point
   * objective" needs all three words, not "recovery" alone); a Hangul phrase also as one compact word.
   */
  phrases: string[][];
}

function phrasesOf(term: string): string[][] {
  const parts = pieces(term);
  const words = parts.map((part) => (isHangul(part) ? part : stemLatin(part))).filter((word) => wordTerms(word).length > 0);
  if (words.length === 0) return [];
  const compact = parts.filter(isHangul).join('');
  return words.length > 1 && parts.every(isHangul) ? [words, [compact]] : [words];
}

function compact(text: string): string {
  return normalize(text).replace(/[^\p{L}\p{N}]+/gu, '');
}

function toMatcher(term: string): Matcher {
  return isHangul(term)
    ? { latin: [], hangul: compact(term) }
    : { latin: pieces(term).map(stemLatin), hangul: '' };
}

/** An entry whose `triggers` in a question add `terms` to the query and count as them. */
function entryOf(terms: readonly string[], triggers: readonly string[]): GlossaryEntry {
  return {
    terms,
    matchers: triggers.map(toMatcher),
    words: [...new Set(terms.flatMap(wordTerms))],
    grams: [...new Set(terms.flatMap(hangulBigrams))],
    phrases: terms.flatMap(phrasesOf),
  };
}

interface Trigger {
  entry: GlossaryEntry;
  matcher: Matcher;
}

/**
 * The glossary with its terms indexed by how they start, so matching a question looks only at the
 * few terms that could occur in it instead of every term of every group.
 */
export class Glossary {
  readonly entries: GlossaryEntry[];
  private readonly latinByFirstWord = new Map<string, Trigger[]>();
  private readonly hangulByFirstPair = new Map<string, Trigger[]>();
  private readonly hangulSyllables = new Map<string, Trigger[]>();

  constructor(groups: readonly (readonly string[])[] = GLOSSARY, kinds: typeof KINDS = KINDS) {
    this.entries = [
      ...groups.map((terms) => entryOf(terms, terms)),
      // A kind is matched by its words and stands for its things' words alone.
      ...kinds.map(({ kind, things }) => entryOf(things, kind)),
    ];
    for (const entry of this.entries) {
      for (const matcher of entry.matchers) {
        const [table, key] = matcher.hangul
          ? matcher.hangul.length === 1
            ? [this.hangulSyllables, matcher.hangul]
            : [this.hangulByFirstPair, matcher.hangul.slice(0, 2)]
          : [this.latinByFirstWord, matcher.latin[0]];
        if (key === undefined) continue;
        const list = table.get(key) ?? [];
        list.push({ entry, matcher });
        table.set(key, list);
      }
    }
  }

  /** The glossary terms that occur in the question. */
  triggered(query: QueryShape): Trigger[] {
    const found: Trigger[] = [];
    query.latin.forEach((word, i) => {
      for (const trigger of this.latinByFirstWord.get(word) ?? []) {
        if (trigger.matcher.latin.every((w, j) => query.latin[i + j] === w)) found.push(trigger);
      }
    });
    for (let i = 0; i + 2 <= query.hangulCompact.length; i++) {
      for (const trigger of this.hangulByFirstPair.get(query.hangulCompact.slice(i, i + 2)) ?? []) {
        if (query.hangulCompact.startsWith(trigger.matcher.hangul, i)) found.push(trigger);
      }
    }
    // One-syllable terms (망, 줄, 분) only count as whole words; longer ones may sit inside a compound.
    for (const word of query.hangulWords) found.push(...(this.hangulSyllables.get(word) ?? []));
    return found;
  }
}

interface QueryShape {
  latin: string[];
  hangulCompact: string;
  hangulWords: Set<string>;
}

function shapeOf(parts: string[]): QueryShape {
  const hangulWords = new Set<string>();
  for (const part of parts.filter(isHangul)) {
    hangulWords.add(part);
    const stem = stripParticle(part);
    if (stem) hangulWords.add(stem);
  }
  return {
    latin: parts.filter((p) => !isHangul(p)).map(stemLatin),
    hangulCompact: parts.filter(isHangul).join(''),
    hangulWords,
  };
}



export interface Expansion {
  words: string[];
  grams: string[];
  /**
   * For each word piece of the query that a glossary term matched, the terms of that term's group as
   * phrases: a question word counts as answered when a passage has one of its synonyms whole.
   */
  synonyms: Map<string, string[][]>;
}

/** A distinct query piece with the forms matchers compare: a Korean question triggers many matchers, each tested against every piece. */
interface PieceForms {
  text: string;
  hangul: boolean;
  /** The particle-stripped word (Hangul) or the stem (Latin). */
  stem: string;
}

function formsOf(piece: string): PieceForms {
  const hangul = isHangul(piece);
  return { text: piece, hangul, stem: hangul ? (stripParticle(piece) ?? piece) : stemLatin(piece) };
}

/** The query pieces that a matcher covers. */
function coveredPieces(matcher: Matcher, queryPieces: PieceForms[]): string[] {
  const covered: string[] = [];
  for (const { text, hangul, stem } of queryPieces) {
    const covers = matcher.hangul
      ? hangul && (matcher.hangul.includes(text) || matcher.hangul.includes(stem) || text.includes(matcher.hangul))
      : !hangul && matcher.latin.includes(stem);
    if (covers) covered.push(text);
  }
  return covered;
}

/** The terms that the glossary adds for a query split by `pieces` (without the query's own terms). */
export function expandQuery(queryPieces: string[], glossary: Glossary): Expansion {
  const words = new Set<string>();
  const grams = new Set<string>();
  const byEntry = new Map<GlossaryEntry, Set<Matcher>>();
  for (const { entry, matcher } of glossary.triggered(shapeOf(queryPieces))) {
    const matchers = byEntry.get(entry) ?? new Set<Matcher>();
    matchers.add(matcher);
    byEntry.set(entry, matchers);
  }
  const distinctPieces = [...new Set(queryPieces)].map(formsOf);
  const entriesByPiece = new Map<string, Set<GlossaryEntry>>();
  for (const [entry, matchers] of byEntry) {
    for (const word of entry.words) words.add(word);
    for (const gram of entry.grams) grams.add(gram);
    for (const matcher of matchers) {
      for (const piece of coveredPieces(matcher, distinctPieces)) {
        const entries = entriesByPiece.get(piece) ?? new Set<GlossaryEntry>();
        entries.add(entry);
        entriesByPiece.set(piece, entries);
      }
    }
  }
  const synonyms = new Map([...entriesByPiece].map(([piece, entries]) => [piece, [...entries].flatMap((entry) => entry.phrases)]));
  return { words: [...words], grams: [...grams], synonyms };
}
