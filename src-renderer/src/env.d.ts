/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { PlannerApi } from '@shared/contract';

declare global {
  interface Window {
    planner: PlannerApi;
  }
}
