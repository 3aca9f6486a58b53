// The lead lifecycle: state machine over plain data (DESIGN.md "Lifecycle", API.md §3).
export {
  ASSIGNMENT_STATUS_LABELS, STATUS_LABELS, TRANSFER_LABELS, TRANSITION_HTTP_STATUS, TransitionError,
  agencyCanSee, assignmentOf, checkLeadState, isBureau, isOpenAssignment, isTransitionError, openAssignments,
  openPrimary,
  type AssignmentExtension, type AssignmentFeedback, type AssignmentRole, type AssignmentState,
  type AssignmentStatus, type ExtensionStatus, type FeedbackEvidence, type FollowUpRecord, type LeadState,
  type PendingExtension, type TransitionContext, type TransitionErrorCode, type TransitionResult,
} from './state.ts';
export {
  LIFECYCLE_ACTIONS, acknowledge, assign, close, decideExtension, feedback, followUp, followUpTasks,
  initialLeadState, merge, reachable, reject, requestExtension, review, transfer, unmerge,
  type FollowUpReport, type FollowUpTask, type LifecycleAction, type MergeTarget,
} from './transitions.ts';
export {
  MAX_ASSIGN_WORKING_DAYS, MAX_EVIDENCE, MAX_EXTENSION_WORKING_DAYS, MIN_EXTENSION_WORKING_DAYS,
  acknowledgeInputSchema, agencyCodeSchema, assignInputSchema, closeInputSchema, evidenceSchema,
  extensionDecisionInputSchema, extensionRequestInputSchema, feedbackInputSchema, followUpInputSchema,
  inputErrors, inputSchemas, mergeInputSchema, rejectInputSchema, reviewInputSchema, transferInputSchema,
  unmergeInputSchema,
  type AcknowledgeInput, type AssignInput, type CloseInput, type ExtensionDecisionInput,
  type ExtensionRequestInput, type FeedbackInput, type FollowUpInput, type MergeInput, type RejectInput,
  type ReviewInput, type TransferInput, type UnmergeInput,
} from './schemas.ts';
