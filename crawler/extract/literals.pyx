# cython: language_level=3
"""Whether any of a set of literal words occurs in a text, in one pass over its bytes.

The class and id rules ask, of every distinct class string on a page (a hundred or more on
a real page, most met once), whether it holds one of some sixty words (`sidebar`,
`tinkhac`, ...). The regex engine, even with the words written as a trie, tries its
branches at every position: about 3 us for a 36-character string. An Aho-Corasick
automaton reads each byte once: a table lookup per byte.
"""

from cpython.unicode cimport PyUnicode_AsUTF8AndSize
from libc.stdint cimport int32_t
from libc.stdlib cimport calloc, free


cdef extern from "Python.h":
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)


cdef class Literals:
    """`Literals(words).occurs_in(text)`: True when one of `words` is a substring of
    `text` (compared as UTF-8 bytes, so exactly: no case folding, no normalization).

    With `whole=True`, a word counts only as a whole word: with a separator or an end of
    the text on each side, a separator being white space (as `str.isspace` has it), `_` or
    `-`. That is `f" {word} "` in the text with `_` and `-` made spaces and its white space
    runs made single spaces, without writing that text out."""

    cdef unsigned short byte_class[256]
    cdef Py_ssize_t classes
    cdef int32_t* next_state  # states x classes: the state after reading a byte
    cdef char* ends  # per state: a word ends here (directly or as a suffix)
    # For whole words, per state: the length of the word ending there (0: none), and the
    # nearest state for a shorter suffix that is a word (0: none).
    cdef int32_t* length
    cdef int32_t* shorter
    cdef readonly tuple words
    cdef readonly bint whole

    def __init__(self, words, *, bint whole=False):
        self.words = tuple(words)
        self.whole = whole
        encoded = [word.encode("utf-8") for word in self.words if word]
        if len(encoded) != len(self.words):
            raise ValueError("Literals needs non-empty words")
        if whole and any(_separates(ch) for word in self.words for ch in word):
            raise ValueError("a whole word holds no separator")
        # Bytes no word holds all behave alike: the automaton reads classes of bytes (class
        # 0 for those), and its table is states x classes, small enough to stay in cache.
        used = sorted({byte for word in encoded for byte in word})
        cdef Py_ssize_t classes = len(used) + 1
        for i, byte in enumerate(used):
            self.byte_class[byte] = i + 1
        self.classes = classes
        # The trie: children[state] maps a class to a state; state 0 is the root.
        children = [{}]
        final = [False]
        for word in encoded:
            state = 0
            for byte in word:
                c = self.byte_class[byte]
                if c not in children[state]:
                    children.append({})
                    final.append(False)
                    children[state][c] = len(children) - 1
                state = children[state][c]
            final[state] = True
        depth = [0] * len(children)
        for state, moves in enumerate(children):
            for child in moves.values():
                depth[child] = depth[state] + 1
        cdef Py_ssize_t states = len(children)
        self.next_state = <int32_t*>calloc(states * classes, sizeof(int32_t))
        self.ends = <char*>calloc(states, sizeof(char))
        self.length = <int32_t*>calloc(states, sizeof(int32_t))
        self.shorter = <int32_t*>calloc(states, sizeof(int32_t))
        if (
            self.next_state is NULL or self.ends is NULL or self.length is NULL
            or self.shorter is NULL
        ):
            raise MemoryError()
        # Breadth first, each state's missing moves are those of its longest proper suffix
        # in the trie (its failure state), which is nearer the root and so already done.
        fail = [0] * states
        order = list(children[0].values())
        cdef Py_ssize_t s, b
        for b in range(classes):
            self.next_state[b] = children[0].get(b, 0)
        self.ends[0] = final[0]
        cdef Py_ssize_t at = 0
        while at < len(order):
            s = order[at]
            at += 1
            self.ends[s] = final[s] or self.ends[fail[s]]
            self.length[s] = depth[s] if final[s] else 0
            self.shorter[s] = fail[s] if final[fail[s]] else self.shorter[fail[s]]
            for b in range(classes):
                child = children[s].get(b)
                if child is None:
                    self.next_state[s * classes + b] = self.next_state[fail[s] * classes + b]
                else:
                    fail[child] = self.next_state[fail[s] * classes + b]
                    self.next_state[s * classes + b] = child
                    order.append(child)

    def __dealloc__(self):
        free(self.next_state)
        free(self.ends)
        free(self.length)
        free(self.shorter)

    def occurs_in(self, str text) -> bool:
        cdef Py_ssize_t size
        cdef const unsigned char* data = <const unsigned char*>PyUnicode_AsUTF8AndSize(
            text, &size
        )
        cdef int32_t state = 0
        cdef Py_ssize_t i
        for i in range(size):
            state = self.next_state[state * self.classes + self.byte_class[data[i]]]
            if self.ends[state] and (not self.whole or self._whole_at(data, size, i, state)):
                return True
        return False

    cdef bint _whole_at(self, const unsigned char* data, Py_ssize_t size, Py_ssize_t i,
                        int32_t state):
        """Whether a word ending at byte `i` (in `state`) stands between separators."""
        if i + 1 < size and not _separates(_code_point(data, i + 1)):
            return False
        if not self.length[state]:
            state = self.shorter[state]
        cdef Py_ssize_t start
        while state:
            start = i + 1 - self.length[state]
            if start == 0 or _separates(_code_point(data, _lead_byte(data, start - 1))):
                return True
            state = self.shorter[state]
        return False


cdef inline bint _separates(Py_UCS4 ch):
    return Py_UNICODE_ISSPACE(ch) or ch == u"_" or ch == u"-"


cdef inline Py_ssize_t _lead_byte(const unsigned char* data, Py_ssize_t at):
    """The start of the UTF-8 sequence holding byte `at`."""
    while at > 0 and (data[at] & 0xC0) == 0x80:
        at -= 1
    return at


cdef Py_UCS4 _code_point(const unsigned char* data, Py_ssize_t at):
    """The code point whose UTF-8 sequence starts at byte `at` (the text is valid UTF-8:
    Python wrote it)."""
    cdef unsigned char lead = data[at]
    if lead < 0x80:
        return lead
    if lead < 0xE0:
        return ((lead & 0x1F) << 6) | (data[at + 1] & 0x3F)
    if lead < 0xF0:
        return ((lead & 0x0F) << 12) | ((data[at + 1] & 0x3F) << 6) | (data[at + 2] & 0x3F)
    return (
        ((lead & 0x07) << 18) | ((data[at + 1] & 0x3F) << 12) | ((data[at + 2] & 0x3F) << 6)
        | (data[at + 3] & 0x3F)
    )
