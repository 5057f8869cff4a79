import { app } from 'electron';

// TODO(issue 3): window factory, IPC, solver host, storage.
void app.whenReady();
