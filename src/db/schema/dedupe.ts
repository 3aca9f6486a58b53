export interface DedupePostingTable { feature: string; posted_at: string; lead_id: string; weight: number }
export interface DedupeDfTable { feature: string; n: number }
export interface DedupeDfPendingTable { report_id: string; features: string; created_at: string }
export interface DedupeFingerprintTable { report_id: string; lead_id: string; reported_at: string; data: string }
