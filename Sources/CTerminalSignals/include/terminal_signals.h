// The dashboard's terminating signals (SIGINT, SIGTERM, SIGHUP), caught into one flag.
//
// The flag lives in terminal_signals.c, not in a header: a `static` variable in a header that
// Swift imports is copied into every module that inlines the functions using it, so in a
// release build the handler set one copy while the dashboard's loop read another, and a
// dashboard never saw the signal.
#ifndef GATEHOUSE_TERMINAL_SIGNALS_H
#define GATEHOUSE_TERMINAL_SIGNALS_H

/// Installs handlers that only record SIGINT, SIGTERM and SIGHUP, so the dashboard's loop can
/// restore the terminal before it exits, and wake `gh_wait_for_input`; SIGWINCH still goes to
/// ncurses' handler (call after ncurses started) and wakes the wait too.
void gh_install_signal_handlers(void);

/// The last terminating signal caught since the previous call, or 0; clears it.
int gh_take_caught_signal(void);

/// Whether standard input is a terminal that has hung up (its other end closed).
int gh_stdin_hung_up(void);

/// `gh_wait_for_input` found a key (or bytes of one) on standard input.
#define GH_INPUT_KEY 1
/// `gh_wait_for_input` found `other` readable.
#define GH_INPUT_OTHER 2
/// `gh_wait_for_input` found standard input hung up (its terminal closed).
#define GH_INPUT_HUNG_UP 4

/// Sleeps until standard input or `other` (a descriptor, or -1) is readable, a signal the
/// handlers above catch arrives, or `milliseconds` pass; returns the GH_INPUT_ flags found
/// (0 for a signal or the timeout). A signal that came just before the call wakes it too.
int gh_wait_for_input(int other, int milliseconds);

#endif
