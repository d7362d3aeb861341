# cython: language_level=3
"""The page walk of `crawler.extract.blocks.linearize`, over libxml2's nodes in C.

Walking a real page (100-400 KB, hundreds of elements) through lxml's Python API costs a few
microseconds per element: most of an extraction's time. Here the walk reads nodes, names,
attributes and texts straight from libxml2's structures, creates Python objects only for
what the blocks keep (their texts and the elements they point to), and asks Python for the
rules: what an element turns on (`info`, a function of its tag and attributes, memoized
here per distinct tag and attributes), what an image's source is, how a text is cleaned.
The rules stay readable in blocks.py; only the mechanics of the walk live here.

The walk also records where each block-level element's blocks are (`Spans`), for the body
rules. The landmark scan (`Scan`: the class names and the openings taxonomy.py looks for)
goes over the same nodes; when nothing is dropped between the two, one pass does both
(`Rules.walk_scanning`). The hidden-element scan, the head's elements (`collect`) and an
element's string value (`text_content`) are read here too.
"""

from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.stdint cimport uint64_t
from libc.stdlib cimport calloc, free, malloc, realloc
from libc.string cimport memcmp, memcpy, strcmp, strlen
from lxml.includes cimport tree
from lxml.includes.etreepublic cimport _Document, _Element, elementFactory, import_lxml__etree

import_lxml__etree()

# What an element turns on, packed in one int: `Rules.info` returns it, built from the
# values in FLAGS.
cdef enum:
    BLOCK = 1
    BREAKS = 2
    CHROME = 4
    HEADER_CLASS = 8
    ARTICLE = 16
    HEADING = 32
    LINK = 64
    BOLD = 128
    ITALIC = 256
    IMG = 512
    HEADER_TAG = 1024
    ALIGN_CENTER = 2048
    ALIGN_RIGHT = 4096
    OPENED_HEADER = 8192  # set on the stack only: this element opened the site header

FLAGS = {
    "BLOCK": BLOCK, "BREAKS": BREAKS, "CHROME": CHROME, "HEADER_CLASS": HEADER_CLASS,
    "ARTICLE": ARTICLE, "HEADING": HEADING, "LINK": LINK, "BOLD": BOLD, "ITALIC": ITALIC,
    "IMG": IMG, "HEADER_TAG": HEADER_TAG, "ALIGN_CENTER": ALIGN_CENTER,
    "ALIGN_RIGHT": ALIGN_RIGHT,
}

_py_round = round


cdef inline str _decode(const char* s):
    return PyUnicode_DecodeUTF8(s, strlen(s), "replace")


cdef str _attr_value(tree.xmlAttr* attr):
    """An attribute's value as lxml's `el.get(name)` gives it; None for no attribute."""
    if attr is NULL:
        return None
    cdef tree.xmlNode* child = attr.children
    if child is NULL:
        return ""
    if child.next is NULL and child.content is not NULL:
        return _decode(<const char*>child.content)
    cdef list parts = []
    while child is not NULL:
        if child.content is not NULL:
            parts.append(_decode(<const char*>child.content))
        child = child.next
    return "".join(parts)


cdef str _attr(tree.xmlNode* node, const char* name):
    """The value of attribute `name` (no namespace), as lxml's `el.get(name)` gives it."""
    cdef tree.xmlAttr* attr = node.properties
    while attr is not NULL:
        if attr.ns is NULL and strcmp(<const char*>attr.name, name) == 0:
            return _attr_value(attr)
        attr = attr.next
    return None


cdef void* _resized(void* block, size_t size) except NULL:
    """realloc, raising MemoryError where it fails (the old block is then still the
    caller's, and freed with the rest)."""
    cdef void* grown = realloc(block, size)
    if grown is NULL:
        raise MemoryError()
    return grown


cdef unsigned char _invisible[0x10000]


cdef struct _Slot:
    uint64_t hash
    char* key  # NULL: a free slot
    Py_ssize_t size
    int value
    # The walk's memo also keeps the landmark kinds of the element's class and id, as the
    # scan numbered `kinds_of` read them (0: none yet).
    int kinds
    int kinds_of


cdef enum:
    _SLOTS = 32768


cdef class _Memo:
    """Ints remembered per key of raw bytes, in an open-addressing table: a template repeats
    a few hundred element signatures over thousands of elements, and a hit costs no Python
    object at all. The key is written into `key` (`put`, `put_attr`), then looked up
    (`find`); when absent, it is taken out (`take`) before the value is worked out in
    Python and stored with it (`keep`). Emptied when half full."""
    cdef _Slot* slots
    cdef Py_ssize_t used
    cdef char* key
    cdef Py_ssize_t key_capacity, size
    cdef uint64_t hash
    cdef Py_ssize_t found  # the slot of the last `find` that found its key
    cdef unsigned long version  # changes when slots are filled or emptied

    def __cinit__(self):
        self.slots = <_Slot*>calloc(_SLOTS, sizeof(_Slot))
        if self.slots is NULL:
            raise MemoryError()

    def __dealloc__(self):
        if self.slots is not NULL:
            self.forget()
            free(self.slots)
        free(self.key)

    cdef void forget(self):
        cdef Py_ssize_t i
        for i in range(_SLOTS):
            free(self.slots[i].key)
            self.slots[i].key = NULL
        self.used = 0
        self.version += 1

    cdef int put(self, const char* data, Py_ssize_t size) except -1:
        """Append `size` bytes to the key."""
        cdef Py_ssize_t capacity
        if self.size + size > self.key_capacity:
            capacity = max(2 * self.key_capacity, self.size + size, 256)
            self.key = <char*>_resized(self.key, capacity)
            self.key_capacity = capacity
        memcpy(self.key + self.size, data, size)
        self.size += size
        return 0

    cdef int put_attr(self, tree.xmlAttr* attr) except -1:
        """Append an attribute's value (its text children; nothing for no attribute) and
        a NUL: no attribute and an empty one make the same key."""
        cdef tree.xmlNode* child
        if attr is not NULL:
            child = attr.children
            while child is not NULL:
                if child.content is not NULL:
                    self.put(<const char*>child.content, strlen(<const char*>child.content))
                child = child.next
        return self.put("", 1)

    cdef int find(self):
        """The value kept for the key written since the last `find`, or -1."""
        cdef uint64_t hash = _hash(self.key, self.size)
        self.hash = hash
        cdef Py_ssize_t slot = hash & (_SLOTS - 1)
        while self.slots[slot].key is not NULL:
            if (
                self.slots[slot].hash == hash and self.slots[slot].size == self.size
                and memcmp(self.slots[slot].key, self.key, self.size) == 0
            ):
                self.size = 0
                self.found = slot
                return self.slots[slot].value
            slot = (slot + 1) & (_SLOTS - 1)
        return -1

    cdef _Slot take(self) except *:
        """The key `find` did not find, copied out (the caller owns `key`): the value is
        worked out in Python, where another thread may use this memo meanwhile."""
        cdef _Slot taken
        taken.key = <char*>malloc(self.size if self.size else 1)
        if taken.key is NULL:
            raise MemoryError()
        memcpy(taken.key, self.key, self.size)
        taken.hash, taken.size, taken.value = self.hash, self.size, -1
        taken.kinds, taken.kinds_of = 0, 0
        self.size = 0
        return taken

    cdef void keep(self, _Slot taken, int value):
        """Store `value` for a key `take` gave out, and own its copy."""
        if self.used >= _SLOTS // 2:
            self.forget()
        cdef Py_ssize_t slot = taken.hash & (_SLOTS - 1)
        while self.slots[slot].key is not NULL:
            slot = (slot + 1) & (_SLOTS - 1)
        taken.value = value
        self.slots[slot] = taken
        self.used += 1
        self.version += 1


cdef inline uint64_t _hash(const char* key, Py_ssize_t size):
    """A hash of `size` bytes read eight at a time (a byte at a time, the multiplications
    of a key of 60 bytes took longer than the rest of the lookup)."""
    cdef uint64_t hash = 0x9E3779B97F4A7C15ULL ^ <uint64_t>size
    cdef uint64_t word
    cdef Py_ssize_t i = 0
    while i + 8 <= size:
        memcpy(&word, key + i, 8)
        hash = (hash ^ word) * 0xFF51AFD7ED558CCDULL
        hash ^= hash >> 32
        i += 8
    if i < size:
        word = 0
        memcpy(&word, key + i, size - i)
        hash = (hash ^ word) * 0xFF51AFD7ED558CCDULL
    hash ^= hash >> 29
    hash *= 0xC4CEB9FE1A85EC53ULL
    return hash ^ (hash >> 32)


cdef tree.xmlAttr* _find_attr(tree.xmlNode* node, const char* name):
    cdef tree.xmlAttr* attr = node.properties
    while attr is not NULL:
        if attr.ns is NULL and strcmp(<const char*>attr.name, name) == 0:
            return attr
        attr = attr.next
    return NULL


cdef class Scan  # defined below: the walk carries one along


cdef class Rules:
    """The Python side of the walk: see `walk`."""
    cdef object info, image_src, icon_sized, clean, fold, nfc, make_block, block_tags
    cdef _Memo memo

    def __init__(self, *, info, image_src, icon_sized, clean, fold, nfc, make_block, block_tags,
                 invisible_ranges):
        self.info, self.image_src, self.icon_sized = info, image_src, icon_sized
        self.clean, self.fold, self.nfc, self.make_block = clean, fold, nfc, make_block
        self.block_tags = block_tags
        self.memo = _Memo()
        cdef int lo, hi, c
        for lo, hi in invisible_ranges:
            for c in range(lo, hi + 1):
                _invisible[c] = 1

    cdef int flags(self, tree.xmlNode* node, Scan scan, int* kinds) except -1:
        """The element's flags; with `scan`, its landmark kinds in `kinds` too, kept in
        the same slot so that the walk reads both with one lookup."""
        cdef tree.xmlAttr* attr = node.properties
        cdef tree.xmlAttr* cls = NULL
        cdef tree.xmlAttr* ident = NULL
        cdef tree.xmlAttr* style = NULL
        cdef tree.xmlAttr* align = NULL
        cdef _Slot taken
        cdef const char* name
        while attr is not NULL:
            if attr.ns is NULL:
                # The first letter rules out most attribute names without a comparison.
                name = <const char*>attr.name
                if name[0] == b"c":
                    if cls is NULL and strcmp(name, "class") == 0:
                        cls = attr
                elif name[0] == b"i":
                    if ident is NULL and strcmp(name, "id") == 0:
                        ident = attr
                elif name[0] == b"s":
                    if style is NULL and strcmp(name, "style") == 0:
                        style = attr
                elif name[0] == b"a":
                    if align is NULL and strcmp(name, "align") == 0:
                        align = attr
            attr = attr.next
        cdef _Memo memo = self.memo
        memo.put(<const char*>node.name, strlen(<const char*>node.name) + 1)
        memo.put_attr(cls)
        memo.put_attr(ident)
        memo.put_attr(style)
        memo.put_attr(align)
        cdef int flags = memo.find()
        cdef Py_ssize_t found
        cdef unsigned long version
        if flags >= 0:
            if scan is not None:
                found, version = memo.found, memo.version
                if memo.slots[found].kinds_of == scan.number:
                    kinds[0] = memo.slots[found].kinds
                else:
                    kinds[0] = scan.kinds(cls, ident)
                    # Unless the memo changed meanwhile (another thread, while Python ran).
                    if memo.version == version:
                        memo.slots[found].kinds = kinds[0]
                        memo.slots[found].kinds_of = scan.number
            return flags
        taken = memo.take()
        try:
            attrs = _class_and_id(cls, ident)
            flags = self.rule_flags(node, attrs, style, align)
            if scan is not None:
                kinds[0] = taken.kinds = scan.kinds(cls, ident, attrs)
                taken.kinds_of = scan.number
        except BaseException:
            free(taken.key)
            raise
        memo.keep(taken, flags)
        return flags

    cdef int rule_flags(self, tree.xmlNode* node, str attrs, tree.xmlAttr* style,
                        tree.xmlAttr* align) except -1:
        """What `info` says of an element signature met for the first time."""
        tag = _decode(<const char*>node.name).lower()
        return self.info(
            tag, attrs, _attr_value(style), _attr_value(align) if tag in self.block_tags else None
        )

    def walk(self, _Element body not None) -> tuple:
        """`(blocks, spans)`: the blocks under `body` in reading order, built with
        `make_block(index, text, el, start, link_chars, lead_link_chars, bold_chars,
        italic_chars, centered, right, chrome, header, heading, image)` (positional), and
        the `Spans` of the block-level elements. Comments and processing instructions are
        skipped, their tails read."""
        w = _walk(self, body, None, None, None)
        return w.blocks, w.spans

    def walk_scanning(self, _Element root not None, _Element body not None,
                      Scan scan not None) -> tuple:
        """`(blocks, spans, classed, opened)`: `walk(body)`'s blocks and spans and
        `scan(root)`'s findings (`body` within `root`), in one pass over the page instead
        of two."""
        classed, opened = [], []
        w = _walk(self, body, scan, root, (classed, opened))
        return w.blocks, w.spans, classed, opened


cdef struct _Span:
    tree.xmlNode* node
    Py_ssize_t first, end, chars, link_chars


cdef class Spans:
    """Where the blocks of each block-level element of a walked page are. The blocks whose
    `el` is an element or inside it are those made while it was open: one run,
    `blocks[first:end]`. `of(el)` gives `(first, end, chars, link_chars)`, `chars` the
    length of their texts together and `link_chars` the part of it in links, or None for
    an element that holds no block, is not block-level, or is not in the walked body.
    The walk knows all of this as it goes; worked out afterwards, it takes a climb from
    every block."""
    cdef _Document doc
    cdef _Span* spans  # in the order the elements closed
    cdef Py_ssize_t count, capacity
    cdef Py_ssize_t* table  # open addressing by node: 1 + an index into spans; 0 free
    cdef Py_ssize_t table_size

    def __dealloc__(self):
        free(self.spans)
        free(self.table)

    cdef int add(self, tree.xmlNode* node, Py_ssize_t first, Py_ssize_t end, Py_ssize_t chars,
                 Py_ssize_t link_chars) except -1:
        cdef Py_ssize_t capacity
        if self.count == self.capacity:
            capacity = max(2 * self.capacity, 64)
            self.spans = <_Span*>_resized(self.spans, capacity * sizeof(_Span))
            self.capacity = capacity
        self.spans[self.count] = _Span(node, first, end, chars, link_chars)
        self.count += 1
        return 0

    cdef int index(self) except -1:
        """The table, made once the walk is over: at most half full."""
        cdef Py_ssize_t size = 16, i, slot
        while size < 2 * self.count:
            size *= 2
        self.table = <Py_ssize_t*>calloc(size, sizeof(Py_ssize_t))
        if self.table is NULL:
            raise MemoryError()
        self.table_size = size
        for i in range(self.count):
            slot = _node_slot(self.spans[i].node, size)
            while self.table[slot]:
                slot = (slot + 1) & (size - 1)
            self.table[slot] = i + 1
        return 0

    def of(self, _Element el not None):
        cdef tree.xmlNode* node = el._c_node
        cdef Py_ssize_t slot, at
        cdef _Span* span
        if el._doc is not self.doc or self.table is NULL:
            return None
        slot = _node_slot(node, self.table_size)
        while self.table[slot]:
            span = &self.spans[self.table[slot] - 1]
            if span.node is node:
                return span.first, span.end, span.chars, span.link_chars
            slot = (slot + 1) & (self.table_size - 1)
        return None


cdef inline Py_ssize_t _node_slot(tree.xmlNode* node, Py_ssize_t size):
    return <Py_ssize_t>(((<uint64_t>node >> 4) * 0x9E3779B97F4A7C15ULL) >> 40) & (size - 1)


cdef class _Walk:
    cdef _Document doc
    cdef Rules rules
    cdef bint invisible  # an invisible character in the pending pieces
    # The pending pieces end in white space (or there are none); hold white space other
    # than single spaces between words; hold `spaces` white-space characters.
    cdef bint spaced, irregular
    cdef Py_ssize_t spaces
    cdef list blocks, pieces
    cdef Spans spans
    # The blocks made so far: their texts' length together, and the part of it in links.
    cdef Py_ssize_t chars, link_chars_made
    cdef Scan scan  # the scan riding on the walk, or None
    cdef list classed  # its classed elements
    # Per depth: the open element's node, its flags, its alignment.
    cdef tree.xmlNode** nodes
    cdef int* opened
    cdef char* align
    cdef int depth, capacity
    # The open block-level and chrome elements, as depths into `nodes`; their proxies
    # (`*_els`, None until a block needs one) are made only for the few that hold a block.
    cdef int* block_depths
    # Per open block-level element: the blocks, chars and link_chars made before it opened.
    cdef Py_ssize_t* block_first
    cdef Py_ssize_t* chars_before
    cdef Py_ssize_t* links_before
    cdef int* chrome_depths
    cdef int blocks_open, chromes_open
    cdef list block_els, chrome_els
    cdef int link, bold, italic, header, article, heading
    cdef Py_ssize_t link_chars, bold_chars, italic_chars, lead_link_chars, offset
    cdef bint leading

    def __dealloc__(self):
        free(self.nodes)
        free(self.opened)
        free(self.align)
        free(self.block_depths)
        free(self.block_first)
        free(self.chars_before)
        free(self.links_before)
        free(self.chrome_depths)

    cdef int _grow(self) except -1:
        cdef int capacity = self.capacity * 2 if self.capacity else 64
        cdef size_t n = capacity + 1
        self.nodes = <tree.xmlNode**>_resized(self.nodes, n * sizeof(tree.xmlNode*))
        self.opened = <int*>_resized(self.opened, n * sizeof(int))
        self.align = <char*>_resized(self.align, n * sizeof(char))
        self.block_depths = <int*>_resized(self.block_depths, n * sizeof(int))
        self.block_first = <Py_ssize_t*>_resized(self.block_first, n * sizeof(Py_ssize_t))
        self.chars_before = <Py_ssize_t*>_resized(self.chars_before, n * sizeof(Py_ssize_t))
        self.links_before = <Py_ssize_t*>_resized(self.links_before, n * sizeof(Py_ssize_t))
        self.chrome_depths = <int*>_resized(self.chrome_depths, n * sizeof(int))
        self.capacity = capacity
        return 0

    cdef int add(self, str text) except -1:
        cdef Py_ssize_t size = 0, spaces = 0
        cdef bint word = False, spaced = self.spaced, irregular = False
        cdef Py_UCS4 ch
        for ch in text:
            if ch < 0x10000 and _invisible[ch]:
                self.invisible = True
            if ch.isspace():
                irregular |= spaced or ch != u" "
                spaced = True
                spaces += 1
            else:
                spaced = False
                size += 1
                if not word and (ch.isalnum() or ch == u"_"):
                    word = True
        # Indentation between tags is most of a page's texts, and counts for nothing;
        # at the start of a block it is not even kept (cleaning would strip it).
        if size == 0 and not self.pieces:
            return 0
        self.pieces.append(text)
        self.spaced, self.spaces = spaced, self.spaces + spaces
        self.irregular |= irregular
        if size == 0 or not (self.link or self.bold or self.italic or self.leading):
            return 0
        if self.link:
            self.link_chars += size
            if self.leading:
                self.lead_link_chars += size
        elif self.leading and word:
            self.leading = False  # a bullet or a dash before a link is no text yet
        if self.bold:
            self.bold_chars += size
        if self.italic:
            self.italic_chars += size
        return 0

    cdef int add_space(self) except -1:
        """A blank text inside a block: one space, as cleaning would make it."""
        if self.pieces:
            self.pieces.append(" ")
            self.irregular |= self.spaced
            self.spaced = True
            self.spaces += 1
        return 0

    cdef object proxy(self, list els, int* depths, int i):
        el = els[i]
        if el is None:
            el = els[i] = elementFactory(self.doc, self.nodes[depths[i]])
        return el

    cdef object new_block(self, str text, object image, Py_ssize_t link_chars,
                          Py_ssize_t lead_link_chars, Py_ssize_t bold_chars,
                          Py_ssize_t italic_chars):
        cdef char align = self.align[self.depth]
        block = self.rules.make_block(
            len(self.blocks), text,
            self.proxy(self.block_els, self.block_depths, self.blocks_open - 1), self.offset,
            link_chars, lead_link_chars, bold_chars, italic_chars, align == 1, align == 2,
            self.proxy(self.chrome_els, self.chrome_depths, self.chromes_open - 1)
            if self.chromes_open else None,
            self.header > 0, self.heading > 0, image,
        )
        self.blocks.append(block)
        self.offset += len(text) + 1
        self.chars += len(text)
        self.link_chars_made += link_chars
        return block

    cdef int flush(self) except -1:
        cdef Py_ssize_t link_chars, compact
        if not self.pieces:
            return 0
        joined = "".join(self.pieces)
        if not (self.invisible or self.irregular or self.spaced):
            # Single spaces between words and none at the ends: folding the spaces would
            # change nothing (NFC makes no space and unmakes none), so only NFC is left.
            text = self.rules.nfc(joined)
            compact = len(text) - self.spaces
        else:
            if joined.isspace():
                text = ""
            else:
                text = (self.rules.clean if self.invisible else self.rules.fold)(joined)
            compact = len(text) - text.count(" ")
        if text:
            # Counts were taken on whitespace-free text; scale them to the cleaned length.
            ratio = len(text) / max(compact, 1)
            link_chars = min(len(text), _py_round(self.link_chars * ratio))
            self.new_block(
                text, None, link_chars,
                min(link_chars, _py_round(self.lead_link_chars * ratio)),
                self.bold_chars, self.italic_chars,
            )
        self.pieces = []
        self.link_chars = self.bold_chars = self.italic_chars = self.lead_link_chars = 0
        self.spaces = 0
        self.leading = self.spaced = True
        self.invisible = self.irregular = False
        return 0

    cdef int start(self, tree.xmlNode* node) except -1:
        cdef int kinds = 0
        cdef int flags = self.rules.flags(node, self.scan, &kinds)
        if kinds:
            self.classed.append((elementFactory(self.doc, node), kinds))
        cdef char align
        cdef _Element el
        if flags & BREAKS:
            self.flush()
        if self.depth + 1 >= self.capacity:
            self._grow()
        align = self.align[self.depth]
        self.depth += 1
        self.nodes[self.depth] = node
        if flags & BLOCK:
            self.block_depths[self.blocks_open] = self.depth
            self.open_span(self.blocks_open)
            self.blocks_open += 1
            self.block_els.append(None)
            if flags & ALIGN_CENTER:
                align = 1
            elif flags & ALIGN_RIGHT:
                align = 2
        self.align[self.depth] = align
        if flags & IMG:
            # An icon inside a line (a paper's logo opening its sapo, a bullet) is part of
            # the line as it reads: it neither breaks the text nor stands as a photo.
            el = elementFactory(self.doc, node)
            if not self.rules.icon_sized(el):
                self.flush()
                if self.rules.image_src(el):
                    self.new_block("", el, 0, 0, 0, 0)
        if flags & CHROME:
            self.chrome_depths[self.chromes_open] = self.depth
            self.chromes_open += 1
            self.chrome_els.append(None)
        if flags & HEADER_CLASS or (flags & HEADER_TAG and not self.article):
            flags |= OPENED_HEADER
            self.header += 1
        self.opened[self.depth] = flags
        self.article += (flags & ARTICLE) != 0
        self.heading += (flags & HEADING) != 0
        self.link += (flags & LINK) != 0
        self.bold += (flags & BOLD) != 0
        self.italic += (flags & ITALIC) != 0
        return 0

    cdef int end(self) except -1:
        cdef int flags = self.opened[self.depth]
        # Flush first: the block's flags (heading, chrome, header) are those of its context.
        if flags & BLOCK:
            self.flush()
        self.link -= (flags & LINK) != 0
        self.bold -= (flags & BOLD) != 0
        self.italic -= (flags & ITALIC) != 0
        self.heading -= (flags & HEADING) != 0
        self.header -= (flags & OPENED_HEADER) != 0
        self.article -= (flags & ARTICLE) != 0
        if flags & CHROME:
            self.chromes_open -= 1
            self.chrome_els.pop()
        if flags & BLOCK:
            self.blocks_open -= 1
            self.close_span(self.blocks_open, self.nodes[self.depth])
            self.block_els.pop()
        self.depth -= 1
        return 0

    cdef inline void open_span(self, int i):
        self.block_first[i] = len(self.blocks)
        self.chars_before[i] = self.chars
        self.links_before[i] = self.link_chars_made

    cdef int close_span(self, int i, tree.xmlNode* node) except -1:
        if len(self.blocks) > self.block_first[i]:
            self.spans.add(
                node, self.block_first[i], len(self.blocks), self.chars - self.chars_before[i],
                self.link_chars_made - self.links_before[i],
            )
        return 0


cdef inline bint _blank(const unsigned char* text):
    """Only spaces, tabs and line breaks (the indentation between tags): never an
    invisible character, so the same as one space wherever the text is joined."""
    while text[0] != 0:
        if text[0] != 32 and text[0] != 10 and text[0] != 13 and text[0] != 9:
            return False
        text += 1
    return True


cdef _Walk _walk(Rules rules, _Element body, Scan scan, _Element root, tuple found):
    cdef _Walk w = _Walk()
    w.doc = body._doc
    w.rules = rules
    w.blocks, w.pieces, w.block_els, w.chrome_els = [], [], [body], []
    w.spans = Spans()
    w.spans.doc = w.doc
    w.leading = w.spaced = True
    w._grow()
    w.nodes[0] = body._c_node
    w.align[0] = 0
    w.opened[0] = 0
    w.block_depths[0] = 0
    w.open_span(0)
    w.blocks_open = 1
    if scan is None:
        _traverse(w, None, w.doc, body._c_node, body._c_node, None, None)
    else:
        w.scan, w.classed = scan, found[0]
        _traverse(w, scan, w.doc, root._c_node, body._c_node, found[0], found[1])
    w.flush()
    w.close_span(0, body._c_node)
    w.spans.index()
    return w


cdef int _traverse(_Walk w, Scan scan, _Document doc, tree.xmlNode* top, tree.xmlNode* body,
                   list classed, list opened) except -1:
    """One pass over `top` and everything in it: `w` (when given) reads what is strictly
    inside `body`, `scan` (when given) everything from `top` itself on (the elements
    inside `body` through `w`, which reads their class and id anyway)."""
    cdef bint inside = w is not None and top is body
    cdef tree.xmlNode* parent = top
    cdef tree.xmlNode* node = top.children
    if scan is not None:
        scan.element(doc, top, classed)
    while True:
        if node is NULL:
            # The end of a child list: close its element, go on after it.
            if parent is top:
                break
            if parent is body:
                inside = False
            elif inside:
                w.end()
            node = parent.next
            parent = parent.parent
        elif node.type == tree.XML_ELEMENT_NODE:
            if scan is not None and not inside:
                scan.element(doc, node, classed)
            if inside:
                w.start(node)
            if node.children is not NULL:
                if node is body and w is not None:
                    inside = True
                parent = node
                node = node.children
            else:
                if inside:
                    w.end()
                node = node.next
        else:
            if (
                scan is not None and node.type == tree.XML_TEXT_NODE
                and (node.prev is NULL or node.prev.type != tree.XML_TEXT_NODE)
            ):
                scan.text(doc, node, opened)
            if (
                inside
                and (node.type == tree.XML_TEXT_NODE or node.type == tree.XML_CDATA_SECTION_NODE)
                and node.content is not NULL and node.content[0] != 0
            ):
                if not _blank(node.content):
                    w.add(_decode(<const char*>node.content))
                else:
                    w.add_space()
            node = node.next
    return 0


cdef tree.xmlNode* _next_in_order(tree.xmlNode* node, tree.xmlNode* top):
    """The node after `node` in document order within `top`, or NULL."""
    if node.type == tree.XML_ELEMENT_NODE and node.children is not NULL:
        return node.children
    while node is not top and node.next is NULL:
        node = node.parent
    return NULL if node is top else node.next


cdef int _scans = 0  # Scans made so far


cdef class Scan:
    """`Scan(classify, opening, initials)(root)`: one pass over `root` and everything in
    it, giving `(classed, opened)`: `(element, kinds)` for each element whose class and id,
    as one lower-case string, `classify` gives a non-zero int (asked once per distinct
    class and id, remembered from page to page), and `(owner, text)` for each text (an
    element's text or tail, adjacent text nodes joined) that is not blank and that
    `opening(text)` accepts; the owner is the element holding the text. With `initials`,
    a text whose first character past white space is ASCII and not among them is not even
    decoded: `opening` could not accept it."""
    cdef object classify, opening
    cdef bint may_open[256]
    cdef _Memo memo
    cdef int number  # tells this scan's kinds from another's in the walk's memo

    def __init__(self, classify, opening, initials: bytes = None):
        global _scans
        _scans += 1
        self.number = _scans
        self.classify, self.opening = classify, opening
        self.memo = _Memo()
        cdef int i
        for i in range(256):
            self.may_open[i] = initials is None or i >= 128
        for i in initials or b"":
            self.may_open[i] = True

    def __call__(self, _Element root not None) -> tuple:
        classed, opened = [], []
        _traverse(None, self, root._doc, root._c_node, NULL, classed, opened)
        return classed, opened

    cdef int element(self, _Document doc, tree.xmlNode* node, list classed) except -1:
        cdef int kinds = self.kinds(_find_attr(node, "class"), _find_attr(node, "id"))
        if kinds:
            classed.append((elementFactory(doc, node), kinds))
        return 0

    cdef int kinds(self, tree.xmlAttr* cls, tree.xmlAttr* ident, str attrs=None) except -1:
        """What `classify` says of a class and id (0 when both are empty or absent);
        `attrs`: their `_class_and_id` when the caller has it already."""
        cdef int kinds
        cdef _Slot taken
        if not (_filled(cls) or _filled(ident)):
            return 0
        self.memo.put_attr(cls)
        self.memo.put_attr(ident)
        kinds = self.memo.find()
        if kinds < 0:
            taken = self.memo.take()
            try:
                kinds = self.classify(_class_and_id(cls, ident) if attrs is None else attrs)
            except BaseException:
                free(taken.key)
                raise
            self.memo.keep(taken, kinds)
        return kinds

    cdef int text(self, _Document doc, tree.xmlNode* node, list opened) except -1:
        """The run of text nodes `node` opens."""
        cdef int first = -1
        cdef tree.xmlNode* run = node
        cdef list parts
        while first < 0 and run is not NULL and run.type == tree.XML_TEXT_NODE:
            if run.content is not NULL:
                first = _first_unspaced(run.content)
            run = run.next
        if first < 0 or not self.may_open[first] or node.parent is NULL:
            return 0
        parts = []
        run = node
        while run is not NULL and run.type == tree.XML_TEXT_NODE:
            if run.content is not NULL:
                parts.append(_decode(<const char*>run.content))
            run = run.next
        text = "".join(parts)
        if text and not text.isspace() and self.opening(text):
            opened.append((elementFactory(doc, node.parent), text))
        return 0


cdef inline int _first_unspaced(const unsigned char* text):
    """The first byte of `text` that is not ASCII white space as Python's `str.isspace`
    has it (tab to carriage return, the separators 0x1C-0x1F, space), or -1."""
    while text[0] != 0:
        if not (text[0] == 32 or 9 <= text[0] <= 13 or 28 <= text[0] <= 31):
            return text[0]
        text += 1
    return -1


cdef str _class_and_id(tree.xmlAttr* cls, tree.xmlAttr* ident):
    """An element's class and id as one lower-case string, as the class rules read them
    (dom.class_id); empty when both are empty or absent."""
    if not (_filled(cls) or _filled(ident)):
        return ""
    return f"{_attr_value(cls) or ''} {_attr_value(ident) or ''}".lower()


cdef inline bint _filled(tree.xmlAttr* attr):
    """An attribute with a non-empty value."""
    cdef tree.xmlNode* child
    if attr is NULL:
        return False
    child = attr.children
    while child is not NULL:
        if child.content is not NULL and child.content[0] != 0:
            return True
        child = child.next
    return False


def hidden(_Element root not None, hides) -> list:
    """The elements under `root` with a `hidden` attribute or a style `hides(style)`
    accepts (memoized per style), in document order; one inside a hidden one is left out."""
    cdef _Document doc = root._doc
    cdef tree.xmlNode* top = root._c_node
    cdef tree.xmlNode* node = top
    cdef tree.xmlNode* after
    cdef dict seen = {}
    cdef list found = []
    while node is not NULL:
        if node.type == tree.XML_ELEMENT_NODE:
            style = _attr(node, "style")
            if style and style not in seen:
                seen[style] = hides(style)
            if node is not top and (_attr(node, "hidden") is not None or (style and seen[style])):
                found.append(elementFactory(doc, node))
                # Skip its subtree: the whole of it goes.
                after = node
                while after is not top and after.next is NULL:
                    after = after.parent
                node = NULL if after is top else after.next
                continue
        node = _next_in_order(node, top)
    return found


def collect(_Element root not None, tuple tags, str name) -> tuple:
    """`(tagged, named)`, in one pass over `root` and everything in it, in document order:
    for each tag of `tags`, the list of its elements (as `root.iter(*tags)` gives them,
    sorted by tag), and `(element, value)` for every element that carries the attribute
    `name`. Elements of other tags get no Python object: a page's head is read without
    lxml's walks, one per question, over the whole page."""
    cdef _Document doc = root._doc
    cdef tree.xmlNode* top = root._c_node
    cdef tree.xmlNode* node = top
    cdef list encoded = [tag.encode("utf-8") for tag in tags]
    cdef Py_ssize_t count = len(encoded), i
    cdef bytes wanted = name.encode("utf-8")
    cdef const char* c_name = wanted
    cdef list tagged = [[] for _ in range(count)]
    cdef list named = []
    cdef const char* node_name
    while node is not NULL:
        if node.type == tree.XML_ELEMENT_NODE:
            node_name = <const char*>node.name
            for i in range(count):
                if strcmp(node_name, <const char*><bytes>encoded[i]) == 0:
                    tagged[i].append(elementFactory(doc, node))
                    break
            value = _attr(node, c_name)
            if value is not None:
                named.append((elementFactory(doc, node), value))
        node = _next_in_order(node, top)
    return tagged, named


def text_content(_Element el not None) -> str:
    """The element's string value, as lxml.html's `text_content()` (XPath's `string()`)
    gives it: the text and CDATA nodes under it joined in document order (an HTML tree
    holds no entity references). lxml evaluates an XPath expression per call, some
    microseconds; this reads the nodes."""
    cdef tree.xmlNode* top = el._c_node
    cdef tree.xmlNode* node = top.children
    cdef char* buffer = NULL
    cdef Py_ssize_t size = 0, capacity = 0, length
    # The common case, one text child: no buffer.
    if (
        node is not NULL and node.next is NULL and node.content is not NULL
        and (node.type == tree.XML_TEXT_NODE or node.type == tree.XML_CDATA_SECTION_NODE)
    ):
        return _decode(<const char*>node.content)
    node = top
    try:
        while node is not NULL:
            if (
                (node.type == tree.XML_TEXT_NODE or node.type == tree.XML_CDATA_SECTION_NODE)
                and node.content is not NULL
            ):
                length = strlen(<const char*>node.content)
                if size + length > capacity:
                    capacity = max(2 * capacity, size + length, 256)
                    buffer = <char*>_resized(buffer, capacity)
                memcpy(buffer + size, node.content, length)
                size += length
            node = _next_in_order(node, top)
        return PyUnicode_DecodeUTF8(buffer, size, "replace") if size else ""
    finally:
        free(buffer)
