/**
 * The names of the contract's operations and menu commands, without their schemas: the
 * sandboxed preload needs only these, so it does not bundle zod. contract.ts checks at compile
 * time that OP_NAMES lists exactly the keys of contractInputs.
 */
export const OP_NAMES = [
  'solve',
  'costCurve',
  'frontier',
  'cancelSolve',
  'savePlan',
  'listPlans',
  'getPlan',
  'renamePlan',
  'duplicatePlan',
  'deletePlan',
  'listRevisions',
  'exportScheduleCsv',
  'importPlanFile',
  'exportPlanFile',
  'exportReportPdf',
  'appInfo',
  'importBook',
  'cancelImport',
  'listBooks',
  'getBook',
  'deleteBook',
  'bookPlan',
  'averageBooks',
  'replayBook',
  'validateBooks',
] as const;
export type OpName = (typeof OP_NAMES)[number];

/** Application-menu commands (Electron menu accelerators) the window acts on. */
export const MENU_COMMANDS = [
  'newPlan',
  'openPlan',
  'savePlan',
  'savePlanAs',
  'importPlanFile',
  'exportPlanFile',
  'exportScheduleCsv',
  'exportReport',
  'solve',
  'cancelSolve',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];
