// TODO(issue 3): solver worker entry (utilityProcess / child_process.fork).
export {};
