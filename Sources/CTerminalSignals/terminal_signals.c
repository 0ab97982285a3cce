#include "terminal_signals.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/// The number of the last terminating signal caught; a handler may only touch a
/// `volatile sig_atomic_t`.
static volatile sig_atomic_t caught_signal = 0;

/// A pipe a handler writes a byte to, so that a loop sleeping in poll() on its read end wakes
/// for a signal that arrives just before it goes to sleep (poll alone would miss it).
static int wake_pipe[2] = { -1, -1 };

/// The SIGWINCH handler ncurses installed, which turns a resize into KEY_RESIZE.
static struct sigaction ncurses_winch;

static void wake(void) {
    int saved = errno;
    if (wake_pipe[1] >= 0) (void)write(wake_pipe[1], "", 1);
    errno = saved;
}

static void on_signal(int number) {
    caught_signal = number;
    wake();
}

static void on_window_change(int number, siginfo_t *info, void *context) {
    if (ncurses_winch.sa_flags & SA_SIGINFO) {
        if (ncurses_winch.sa_sigaction != NULL) ncurses_winch.sa_sigaction(number, info, context);
    } else if (ncurses_winch.sa_handler != SIG_DFL && ncurses_winch.sa_handler != SIG_IGN && ncurses_winch.sa_handler != NULL) {
        ncurses_winch.sa_handler(number);
    }
    wake();
}

static void make_wake_pipe(void) {
    if (wake_pipe[0] >= 0) return;
    if (pipe(wake_pipe) != 0) {
        wake_pipe[0] = wake_pipe[1] = -1;
        return;
    }
    for (int index = 0; index < 2; index++) {
        fcntl(wake_pipe[index], F_SETFL, fcntl(wake_pipe[index], F_GETFL) | O_NONBLOCK);
        fcntl(wake_pipe[index], F_SETFD, FD_CLOEXEC);
    }
}

void gh_install_signal_handlers(void) {
    make_wake_pipe();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);

    struct sigaction relay;
    memset(&relay, 0, sizeof relay);
    relay.sa_sigaction = on_window_change;
    relay.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&relay.sa_mask);
    struct sigaction previous;
    if (sigaction(SIGWINCH, &relay, &previous) == 0 && previous.sa_sigaction != on_window_change) ncurses_winch = previous;
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

int gh_wait_for_input(int other, int milliseconds) {
    struct pollfd descriptors[3] = {
        { .fd = STDIN_FILENO, .events = POLLIN, .revents = 0 },
        { .fd = wake_pipe[0], .events = POLLIN, .revents = 0 },
        { .fd = other, .events = POLLIN, .revents = 0 },
    };
    int ready = poll(descriptors, 3, milliseconds);
    if (wake_pipe[0] >= 0 && (descriptors[1].revents & POLLIN)) {
        char buffer[64];
        while (read(wake_pipe[0], buffer, sizeof buffer) > 0) {}
    }
    if (ready <= 0) return 0;
    int result = 0;
    if (descriptors[0].revents & (POLLHUP | POLLERR | POLLNVAL)) result |= GH_INPUT_HUNG_UP;
    else if (descriptors[0].revents & POLLIN) result |= GH_INPUT_KEY;
    if (descriptors[2].revents & POLLIN) result |= GH_INPUT_OTHER;
    return result;
}
