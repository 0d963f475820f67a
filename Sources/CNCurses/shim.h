// ncursesw with the wide-character API (cchar_t, add_wch, get_wch) switched on.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>

// Small accessors for macros and globals Swift cannot import directly (only Workbench's CursesScreen uses them).
static inline WINDOW *parallax_stdscr(void) { return stdscr; }
static inline int parallax_colors(void) { return COLORS; }
static inline int parallax_key_f(int n) { return KEY_F(n); }
static inline attr_t parallax_a_bold(void) { return A_BOLD; }
static inline attr_t parallax_a_underline(void) { return A_UNDERLINE; }
static inline attr_t parallax_a_reverse(void) { return A_REVERSE; }
static inline attr_t parallax_a_dim(void) { return A_DIM; }
static inline mmask_t parallax_mouse_mask(void) {
    return BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED;
}
static inline mmask_t parallax_button1_pressed(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED; }
static inline mmask_t parallax_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t parallax_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t parallax_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline SCREEN *parallax_newterm(void) { return newterm(NULL, stdout, stdin); }
