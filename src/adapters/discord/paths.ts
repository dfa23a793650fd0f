/** Where Discord POSTs interactions in HTTP interactions mode (the application's Interactions Endpoint URL ends with it). */
export const DISCORD_INTERACTIONS_PATH = '/discord/interactions';
