/**
 * Calibration of the `calibrated` cost model from several imported days (docs/orderbook.md,
 * "Calibration"), one job a file: the shapes and defaults (types.ts), robust estimates
 * (robust.ts), σ robust to bid–ask bounce (sigma.ts), the intercept power-law fit
 * (interceptFit.ts), the model's costs (model.ts) and the calibration itself (calibrate.ts).
 * Pure: no node:*, no DOM. This file only re-exports their public names.
 */
export {
  MIN_FIT_R2,
  PUBLISHED,
  SHRINK_DAYS,
  type CalibratedImpact,
  type Calibration,
  type CalibrationDay,
  type CalibrationOptions,
  type ParamSource,
} from './types';
export { medianOf, periodProfile, robustMean, shrink, smooth } from './robust';
export { sigmaProblem, twoScaleSigma, type TwoScaleSigma } from './sigma';
export { fitInterceptPowerLaw, type InterceptPowerFit } from './interceptFit';
export { calibratedImpactPerShare, calibratedPermanentCost, calibratedScheduleCost } from './model';
export { calibrate } from './calibrate';
