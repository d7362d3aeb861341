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


cdef class Literals:
    """`Literals(words).occurs_in(text)`: True when one of `words` is a substring of
    `text` (compared as UTF-8 bytes, so exactly: no case folding, no normalization)."""

    cdef int32_t* next_state  # states x 256: the state after reading a byte
    cdef char* ends  # per state: a word ends here (directly or as a suffix)
    cdef readonly tuple words

    def __init__(self, words):
        self.words = tuple(words)
        encoded = [word.encode("utf-8") for word in self.words if word]
        if len(encoded) != len(self.words):
            raise ValueError("Literals needs non-empty words")
        # The trie: children[state] maps a byte to a state; state 0 is the root.
        children = [{}]
        final = [False]
        for word in encoded:
            state = 0
            for byte in word:
                if byte not in children[state]:
                    children.append({})
                    final.append(False)
                    children[state][byte] = len(children) - 1
                state = children[state][byte]
            final[state] = True
        cdef Py_ssize_t states = len(children)
        self.next_state = <int32_t*>calloc(states * 256, sizeof(int32_t))
        self.ends = <char*>calloc(states, sizeof(char))
        if self.next_state is NULL or self.ends is NULL:
            raise MemoryError()
        # Breadth first, each state's missing moves are those of its longest proper suffix
        # in the trie (its failure state), which is nearer the root and so already done.
        fail = [0] * states
        order = []
        for byte, child in children[0].items():
            order.append(child)
        cdef Py_ssize_t s, b
        for b in range(256):
            self.next_state[b] = children[0].get(b, 0)
        self.ends[0] = final[0]
        cdef Py_ssize_t at = 0
        while at < len(order):
            s = order[at]
            at += 1
            self.ends[s] = final[s] or self.ends[fail[s]]
            for b in range(256):
                child = children[s].get(b)
                if child is None:
                    self.next_state[s * 256 + b] = self.next_state[fail[s] * 256 + b]
                else:
                    fail[child] = self.next_state[fail[s] * 256 + b]
                    self.next_state[s * 256 + b] = child
                    order.append(child)

    def __dealloc__(self):
        free(self.next_state)
        free(self.ends)

    def occurs_in(self, str text) -> bool:
        cdef Py_ssize_t size
        cdef const unsigned char* data = <const unsigned char*>PyUnicode_AsUTF8AndSize(
            text, &size
        )
        cdef int32_t state = 0
        cdef Py_ssize_t i
        for i in range(size):
            state = self.next_state[state * 256 + data[i]]
            if self.ends[state]:
                return True
        return False
