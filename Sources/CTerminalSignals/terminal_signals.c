#include "terminal_signals.h"

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/// The number of the last terminating signal caught; a handler may only touch a
/// `volatile sig_atomic_t`.
static volatile sig_atomic_t caught_signal = 0;

static void on_signal(int number) { caught_signal = number; }

void gh_install_signal_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

int gh_take_caught_signal(void) {
    int number = caught_signal;
    caught_signal = 0;
    return number;
}

int gh_stdin_hung_up(void) {
    struct pollfd descriptor = { .fd = STDIN_FILENO, .events = POLLIN, .revents = 0 };
    if (poll(&descriptor, 1, 0) < 0) return 0;
    return (descriptor.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}
