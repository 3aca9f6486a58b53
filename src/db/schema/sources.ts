export interface SourcesTable { code: string; name: string; created_at: string }
