// TODO(issue 2): CLI.
export {};
