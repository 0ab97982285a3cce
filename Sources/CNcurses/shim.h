// Small C shim between Swift and ncursesw.
//
// Swift 6 cannot use ncurses' global variables (stdscr, LINES, COLS, ESCDELAY) or
// its function-like macros (COLOR_PAIR, A_*, getmaxyx) directly; each is wrapped
// here in a `static inline` function. (Signals are caught in CTerminalSignals, whose
// flag must exist once in the program.)
#ifndef GATEHOUSE_CNCURSES_SHIM_H
#define GATEHOUSE_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

static inline WINDOW *gh_stdscr(void) { return stdscr; }
static inline int gh_lines(void) { return LINES; }
static inline int gh_cols(void) { return COLS; }
static inline int gh_key_resize(void) { return KEY_RESIZE; }
static inline int gh_ok(void) { return OK; }
static inline int gh_err(void) { return ERR; }
static inline int gh_key_code_yes(void) { return KEY_CODE_YES; }

static inline attr_t gh_a_normal(void) { return A_NORMAL; }
static inline attr_t gh_a_bold(void) { return A_BOLD; }
static inline attr_t gh_a_dim(void) { return A_DIM; }
static inline attr_t gh_a_underline(void) { return A_UNDERLINE; }
static inline attr_t gh_a_reverse(void) { return A_REVERSE; }
static inline attr_t gh_a_italic(void) { return A_ITALIC; }

static inline int gh_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int gh_getmaxx(WINDOW *w) { return getmaxx(w); }

/// Puts one wide character with attributes and colour pair at (y, x) of stdscr.
static inline int gh_put_cell(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    memset(&cell, 0, sizeof cell);
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) {
        return ERR;
    }
    return mvwadd_wch(stdscr, y, x, &cell);
}

static inline int gh_colors(void) { return COLORS; }
static inline int gh_color_pairs(void) { return COLOR_PAIRS; }

/// Starts ncurses on the process's own stdin and stdout; NULL (instead of exiting, as
/// initscr does) when the terminal type is unknown.
static inline SCREEN *gh_newterm(void) { return newterm(NULL, stdout, stdin); }

/// Whether the current locale's character set is UTF-8.
static inline int gh_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

static inline int gh_set_escdelay(int ms) { return set_escdelay(ms); }

#endif
