# cython: language_level=3
"""The page walk of `crawler.extract.blocks.linearize`, over libxml2's nodes in C.

Walking a real page (100-400 KB, hundreds of elements) through lxml's Python API costs a few
microseconds per element: most of an extraction's time. Here the walk reads nodes, names,
attributes and texts straight from libxml2's structures, creates Python objects only for
what the blocks keep (their texts and the elements they point to), and asks Python for the
rules: what an element turns on (`info`, a function of its tag and attributes, memoized
here per distinct tag and attributes), what an image's source is, how a text is cleaned.
The rules stay readable in blocks.py; only the mechanics of the walk live here.
"""

from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.stdlib cimport free, realloc
from libc.string cimport strcmp, strlen
from lxml.includes cimport tree
from lxml.includes.etreepublic cimport _Document, _Element, elementFactory, import_lxml__etree

import_lxml__etree()

# What an element turns on, packed in one int (see `_flags`).
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

_py_round = round


cdef inline str _decode(const char* s):
    return PyUnicode_DecodeUTF8(s, strlen(s), "replace")


cdef str _attr(tree.xmlNode* node, const char* name):
    """The value of attribute `name` (no namespace), as lxml's `el.get(name)` gives it."""
    cdef tree.xmlAttr* attr = node.properties
    cdef tree.xmlNode* child
    cdef list parts
    while attr is not NULL:
        if attr.ns is NULL and strcmp(<const char*>attr.name, name) == 0:
            child = attr.children
            if child is NULL:
                return ""
            if child.next is NULL and child.content is not NULL:
                return _decode(<const char*>child.content)
            parts = []
            while child is not NULL:
                if child.content is not NULL:
                    parts.append(_decode(<const char*>child.content))
                child = child.next
            return "".join(parts)
        attr = attr.next
    return None


# Distinct (tag, class, id, style, align) kept at most: templates repeat a few hundred.
cdef int _FLAGS_KEPT = 8192
cdef unsigned char _invisible[0x10000]


cdef class Rules:
    """The Python side of the walk: see `walk`."""
    cdef object info, image_src, icon_sized, clean, fold, make_block, block_tags
    cdef dict flags_of

    def __init__(self, *, info, image_src, icon_sized, clean, fold, make_block, block_tags,
                 invisible_ranges):
        self.info, self.image_src, self.icon_sized = info, image_src, icon_sized
        self.clean, self.fold, self.make_block = clean, fold, make_block
        self.block_tags = block_tags
        self.flags_of = {}
        cdef int lo, hi, c
        for lo, hi in invisible_ranges:
            for c in range(lo, hi + 1):
                _invisible[c] = 1

    cdef int flags(self, tree.xmlNode* node, str tag) except -1:
        cls = _attr(node, "class")
        ident = _attr(node, "id")
        style = _attr(node, "style")
        align = _attr(node, "align") if tag in self.block_tags else None
        key = (tag, cls, ident, style, align)
        found = self.flags_of.get(key)
        if found is not None:
            return found
        info = self.info(tag, cls, ident, style, align)
        cdef int flags = (
            (BLOCK if info.block else 0) | (BREAKS if info.breaks else 0)
            | (CHROME if info.chrome else 0) | (HEADER_CLASS if info.header_class else 0)
            | (ARTICLE if info.article else 0) | (HEADING if info.heading else 0)
            | (LINK if info.link else 0) | (BOLD if info.bold else 0)
            | (ITALIC if info.italic else 0) | (IMG if tag == "img" else 0)
            | (HEADER_TAG if tag == "header" else 0)
            | (ALIGN_CENTER if info.align == "center" else 0)
            | (ALIGN_RIGHT if info.align == "right" else 0)
        )
        if len(self.flags_of) >= _FLAGS_KEPT:
            self.flags_of.clear()
        self.flags_of[key] = flags
        return flags

    def walk(self, _Element body not None) -> list:
        """The blocks under `body` in reading order, built with `make_block(index, text,
        el, start, *, chrome, header, heading, centered, right, image)`; counts of linked,
        bold and italic characters set on each. Comments and processing instructions are
        skipped, their tails read."""
        return _walk(self, body)


cdef class _Walk:
    cdef _Document doc
    cdef Rules rules
    cdef bint invisible  # an invisible character in the pending pieces
    cdef list blocks, pieces, block_stack, chrome_stack
    cdef int* opened
    cdef int depth, capacity
    cdef char* align
    cdef int link, bold, italic, header, article, heading
    cdef Py_ssize_t link_chars, bold_chars, italic_chars, lead_link_chars, offset
    cdef bint leading

    def __cinit__(self):
        self.opened = NULL
        self.align = NULL

    def __dealloc__(self):
        free(self.opened)
        free(self.align)

    cdef int _grow(self) except -1:
        cdef int capacity = self.capacity * 2 if self.capacity else 64
        cdef int* opened = <int*>realloc(self.opened, capacity * sizeof(int))
        if opened is NULL:
            raise MemoryError()
        self.opened = opened
        cdef char* align = <char*>realloc(self.align, (capacity + 1) * sizeof(char))
        if align is NULL:
            raise MemoryError()
        self.align = align
        self.capacity = capacity
        return 0

    cdef int add(self, str text) except -1:
        cdef Py_ssize_t size = 0
        cdef bint word = False
        cdef Py_UCS4 ch
        for ch in text:
            if ch < 0x10000 and _invisible[ch]:
                self.invisible = True
            if not ch.isspace():
                size += 1
                if not word and (ch.isalnum() or ch == u"_"):
                    word = True
        # Indentation between tags is most of a page's texts, and counts for nothing;
        # at the start of a block it is not even kept (cleaning would strip it).
        if size == 0 and not self.pieces:
            return 0
        self.pieces.append(text)
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

    cdef object new_block(self, str text, object image):
        cdef char align = self.align[self.depth]
        block = self.rules.make_block(
            len(self.blocks), text, self.block_stack[-1], self.offset,
            chrome=self.chrome_stack[-1] if self.chrome_stack else None,
            header=self.header > 0, heading=self.heading > 0,
            centered=align == 1, right=align == 2, image=image,
        )
        self.blocks.append(block)
        self.offset += len(text) + 1
        return block

    cdef int flush(self) except -1:
        if not self.pieces:
            return 0
        joined = "".join(self.pieces)
        if joined.isspace():
            text = ""
        else:
            text = (self.rules.clean if self.invisible else self.rules.fold)(joined)
        if text:
            block = self.new_block(text, None)
            # Counts were taken on whitespace-free text; scale them to the cleaned length.
            compact = max(len(text) - text.count(" "), 1)
            ratio = len(text) / compact
            link_chars = min(len(text), _py_round(self.link_chars * ratio))
            block.link_chars = link_chars
            block.lead_link_chars = min(link_chars, _py_round(self.lead_link_chars * ratio))
            block.bold_chars = self.bold_chars
            block.italic_chars = self.italic_chars
        self.pieces = []
        self.link_chars = self.bold_chars = self.italic_chars = self.lead_link_chars = 0
        self.leading = True
        self.invisible = False
        return 0

    cdef int start(self, tree.xmlNode* node) except -1:
        tag = _decode(<const char*>node.name).lower()
        cdef int flags = self.rules.flags(node, tag)
        cdef char align
        cdef _Element el = None
        if flags & BREAKS:
            self.flush()
        if self.depth + 1 >= self.capacity:
            self._grow()
        align = self.align[self.depth]
        if flags & (BLOCK | IMG | CHROME):
            el = elementFactory(self.doc, node)
        if flags & BLOCK:
            self.block_stack.append(el)
            if flags & ALIGN_CENTER:
                align = 1
            elif flags & ALIGN_RIGHT:
                align = 2
        self.depth += 1
        self.align[self.depth] = align
        if flags & IMG:
            # An icon inside a line (a paper's logo opening its sapo, a bullet) is part of
            # the line as it reads: it neither breaks the text nor stands as a photo.
            if not self.rules.icon_sized(el):
                self.flush()
                if self.rules.image_src(el):
                    self.new_block("", el)
        if flags & CHROME:
            self.chrome_stack.append(el)
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
            self.chrome_stack.pop()
        if flags & BLOCK:
            self.block_stack.pop()
        self.depth -= 1
        return 0


cdef list _walk(Rules rules, _Element body):
    cdef _Walk w = _Walk()
    w.doc = body._doc
    w.rules = rules
    w.blocks, w.pieces, w.block_stack, w.chrome_stack = [], [], [body], []
    w.leading = True
    w._grow()
    w.align[0] = 0
    w.opened[0] = 0
    cdef tree.xmlNode* top = body._c_node
    cdef tree.xmlNode* parent = top
    cdef tree.xmlNode* node = top.children
    while True:
        if node is NULL:
            # The end of a child list: close its element, go on after it.
            if parent is top:
                break
            w.end()
            node = parent.next
            parent = parent.parent
        elif node.type == tree.XML_ELEMENT_NODE:
            w.start(node)
            if node.children is not NULL:
                parent = node
                node = node.children
            else:
                w.end()
                node = node.next
        else:
            if (
                (node.type == tree.XML_TEXT_NODE or node.type == tree.XML_CDATA_SECTION_NODE)
                and node.content is not NULL and node.content[0] != 0
            ):
                w.add(_decode(<const char*>node.content))
            node = node.next
    w.flush()
    return w.blocks


cdef tree.xmlNode* _next_in_order(tree.xmlNode* node, tree.xmlNode* top):
    """The node after `node` in document order within `top`, or NULL."""
    if node.type == tree.XML_ELEMENT_NODE and node.children is not NULL:
        return node.children
    while node is not top and node.next is NULL:
        node = node.parent
    return NULL if node is top else node.next


def scan(_Element root not None, classify, opening) -> tuple:
    """One pass over `root` and everything in it: `(element, classify(attrs))` for each
    element whose class and id, as one lower-case string, `classify` gives a truthy value
    (memoized per string), and `(owner, text)` for each text (an element's text or tail,
    adjacent text nodes joined) that is not blank and that `opening(text)` accepts; the
    owner is the element holding the text."""
    cdef _Document doc = root._doc
    cdef tree.xmlNode* top = root._c_node
    cdef tree.xmlNode* node = top
    cdef tree.xmlNode* run
    cdef dict seen = {}
    cdef list classed = [], opened = [], parts
    while node is not NULL:
        if node.type == tree.XML_ELEMENT_NODE:
            cls = _attr(node, "class")
            ident = _attr(node, "id")
            if cls or ident:
                attrs = f"{cls or ''} {ident or ''}".lower()
                if attrs in seen:
                    value = seen[attrs]
                else:
                    value = seen[attrs] = classify(attrs)
                if value:
                    classed.append((elementFactory(doc, node), value))
        elif node.type == tree.XML_TEXT_NODE and node.parent is not NULL and (
            node.prev is NULL or node.prev.type != tree.XML_TEXT_NODE
        ):
            parts = []
            run = node
            while run is not NULL and run.type == tree.XML_TEXT_NODE:
                if run.content is not NULL:
                    parts.append(_decode(<const char*>run.content))
                run = run.next
            text = "".join(parts)
            if text and not text.isspace() and opening(text):
                opened.append((elementFactory(doc, node.parent), text))
        node = _next_in_order(node, top)
    return classed, opened


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


def with_attribute(_Element root not None, name: str) -> list:
    """`(element, value)` for every element in `root` (itself included) that carries the
    attribute `name`, in document order: lxml's XPath `//*[@name]` tests each node slower
    than this reads one attribute."""
    cdef _Document doc = root._doc
    cdef tree.xmlNode* top = root._c_node
    cdef tree.xmlNode* node = top
    cdef bytes wanted = name.encode("utf-8")
    cdef const char* c_name = wanted
    cdef list found = []
    while node is not NULL:
        if node.type == tree.XML_ELEMENT_NODE:
            value = _attr(node, c_name)
            if value is not None:
                found.append((elementFactory(doc, node), value))
        node = _next_in_order(node, top)
    return found
