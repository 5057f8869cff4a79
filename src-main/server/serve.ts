// TODO(issue 3): browser-mode server.
export {};
