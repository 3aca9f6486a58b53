// Routing: rules as data, the built-in rules for 冷水滩区, and the router.
export { buildAhoCorasick, type AhoCorasick, type Match } from './ahoCorasick.ts';
export {
  DYNAMIC_TARGETS, TOWNSHIP_ALIAS, Rule, RuleMatch, RoutingRules, validateRules,
  type DynamicTarget, type RoutingRulesInput, type ValidationResult,
} from './rules.ts';
export { BUILTIN_RULES, BUILTIN_RULES_DATA } from './builtinRules.ts';
export {
  compileRules, route, normalizeText,
  type Candidate, type RoutableDraft, type Router, type RoutingResult, type RuleHit,
} from './router.ts';
