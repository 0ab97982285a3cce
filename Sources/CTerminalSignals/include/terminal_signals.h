// The dashboard's terminating signals (SIGINT, SIGTERM, SIGHUP), caught into one flag.
//
// The flag lives in terminal_signals.c, not in a header: a `static` variable in a header that
// Swift imports is copied into every module that inlines the functions using it, so in a
// release build the handler set one copy while the dashboard's loop read another, and a
// dashboard never saw the signal.
#ifndef GATEHOUSE_TERMINAL_SIGNALS_H
#define GATEHOUSE_TERMINAL_SIGNALS_H

/// Installs handlers that only record SIGINT, SIGTERM and SIGHUP, so the dashboard's loop can
/// restore the terminal before it exits.
void gh_install_signal_handlers(void);

/// The last terminating signal caught since the previous call, or 0; clears it.
int gh_take_caught_signal(void);

/// Whether standard input is a terminal that has hung up (its other end closed).
int gh_stdin_hung_up(void);

#endif
