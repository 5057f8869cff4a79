import { contextBridge } from 'electron';

// TODO(issue 3): expose exactly the contract's operations.
contextBridge.exposeInMainWorld('planner', {});
