/** Named sequences for readable ids ("lead-2026" → 123 → XS-2026-000123). */
export interface CountersTable { name: string; last: number }
