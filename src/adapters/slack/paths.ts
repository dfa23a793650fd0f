/** The Events API path Bolt serves in HTTP mode (commands, events and interactivity all go here). */
export const SLACK_EVENTS_PATH = '/slack/events';
