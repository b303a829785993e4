"""Reading an edited text's template parts again only near the edit is reading them whole.

`ozml.templates.walk` notes where `find`'s walk stands every so often (`Trail`), and
`ozml.templates.again` reads an edited version of the text from the last such place the edit
left as it was, with `find` itself started there, up to where the walk stands again as it stood
before the edit, or up to the cursor (the language server's completion and hover after an
edit). What it finds must be, always, what `find` finds reading the whole edited text from its
start: these tests compare the two over random texts and random edits that insert and delete
openers and closers of every syntax, ``<``, quotes, CDATA and comment delimiters.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ozml.syntaxes import DEFAULT
from ozml.templates import Part, Trail, again, blanked, find, walk

#: What the texts are made of: markup, quotes, the openers and closers of every syntax (and
#: pieces of them), CDATA and comment delimiters, and text.
PIECES = [
    "<Speak>", "</Speak>", "<Var Id=\"v\">", "</Var>", "<Hangup/>", "<A x=\"", "<A x='", "\"",
    "'", ">", "/>", "<", "</", "<!", "<?", "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE r>",
    "<?xml v?>", "{{", "}}", "{%", "%}", "{#", "#}", "{", "}", "<%", "%>", "<%=", "<?=",
    "<?php ", "<?PHP ", "?>", "${", "#{", "a", "b c", " ", "\n", "\r\n", "$v", "=",
    "a longer text, more than a step", "0123456789abcdef",
    # Parts, or not, whose reading looks far: markup or a quote before the closer.
    "{{ a longer text <Speak> more }}", "{% if a < b and more %}", "${ x, y and <!-- z --> }",
    "<A x=\"{{ a longer value \" y=\"}}\"/>", "<% code <b> more code %>", "<?= '<b>' . $x ?>",
    # PHP code, which ends where PHP ends it: past a `?>` in a string or a block comment.
    "/*", "*/", "//", "\\", "<?php echo '?>'; ?>", "<?php /* ?> */ ?>",
]  # fmt: skip
#: Documents with parts of every syntax in texts and values, between commands and in tags.
DOCUMENTS = [
    """<Response>
  <% if known %>
  <Var Id="who">{{ name }}</Var>
  <% end %>
  <Speak>{{<%}}$who <?= $x ?> ${y} a <% b </Speak>
  <Speak Text="<%= t %> {{ "<b>" }} $who" {% if p %}Party="all"{% endif %}/>
  <UserInput Timeout="<?php echo $t > 1 ? 2 : 3; ?>">
    <Inputs>{# a comment #}<Input Key="1"><Hangup/></Input>{{ x </Inputs>
  </UserInput>
  <?php if ($a) { ?><Reject/><?php } ?>
  <!-- {{ not a part }} --><![CDATA[<% nor this %>]]>
</Response>
""",
    """<?xml version="1.0"?>
{% extends "base.xml" %}
<Response>
  <Var Id="v">V</Var><Speak>{{ a }}$v</Speak><Speak>x <% y %> z</Speak>
  <Play Repeat="{{ r }}">a.wav</Play><Speak Text='$v {{ b }}'/><GoTo>u?a=${b}</GoTo>
</Response>
""",
]
SYNTAX_SETS = [
    DEFAULT,
    frozenset({"asp"}),
    frozenset({"php"}),
    frozenset({"jinja", "el"}),
    frozenset({"jinja", "asp"}),
    frozenset(),
]

texts = st.lists(st.sampled_from(PIECES), max_size=50).map("".join) | st.sampled_from(DOCUMENTS)
#: An edit: where (any number, taken modulo one more than the text's length: spread over the
#: text as a fraction drawn by hypothesis is not), how many characters it deletes, what it
#: inserts.
edits = st.tuples(
    st.integers(0, 1 << 16),
    st.integers(0, 12) | st.integers(0, 40),
    st.lists(st.sampled_from(PIECES), max_size=3).map("".join),
)
#: How far apart the walk's places are: every step in content, or few.
spacings = st.sampled_from([1, 2, 7, 30, 256])

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def edited(text: str, edit: tuple[int, int, str]) -> str:
    where, deleted, inserted = edit
    at = where % (len(text) + 1)
    return text[:at] + inserted + text[at + deleted :]


def spans(parts: list[Part]) -> list[tuple[int, int]]:
    return [(part.start, part.end) for part in parts]


def assert_places_resume(trail: Trail, whole: list[Part]) -> None:
    """Each place the trail noted is one `find` started there reads the rest of the text from,
    as the walk from the start reads it (every field of every part), and the reading up to it
    is noted to have looked as far as a walk from the start notes there, or further."""
    exact = walk(trail.text, trail.syntaxes, 1)  # a place at every step in content
    index_of = {at: index for index, at in enumerate(exact.at)}
    for index in range(len(trail.at)):
        place = trail.place(index)
        after = [part for part in whole if part.start >= place.at]
        assert list(find(trail.text, trail.syntaxes, start=place)) == after, place
        # The places noted before it hold the parts before it.
        assert trail.count[index] == len(whole) - len(after)
        same = index_of[place.at]
        assert exact.place(same) == place
        assert trail.horizon[index] >= exact.horizon[same]


def assert_read_as_whole(trail: Trail, whole: list[Part]) -> None:
    """The parts the trail holds, and those it takes from the earlier walk after the edit, are
    those `find` reads in the whole text."""
    expected = spans(whole)
    assert trail.spans == [span for span in expected if span[0] < trail.end]
    assert all(end <= trail.end for _, end in trail.spans)
    after = trail.after()
    if after is not None:
        earlier, first, delta = after
        moved = [(start + delta, end + delta) for start, end in earlier[first:]]
        assert moved == [span for span in expected if span[0] >= trail.end]
    elif trail.whole:
        assert trail.spans == expected
        assert trail.end == len(trail.text)


@SETTINGS
@given(texts, st.sampled_from(SYNTAX_SETS), spacings)
def test_find_started_at_a_place_of_the_walk_reads_what_the_whole_walk_reads(
    text: str, syntaxes: frozenset[str], spacing: int
) -> None:
    whole = list(find(text, syntaxes))
    trail = walk(text, syntaxes, spacing)
    assert trail.whole
    assert trail.spans == spans(whole)
    assert_places_resume(trail, whole)


@SETTINGS
@given(
    texts,
    st.lists(edits, min_size=1, max_size=4),
    st.sampled_from(SYNTAX_SETS),
    spacings,
    st.integers(0, 1 << 16),
)
def test_an_edited_text_read_again_near_the_edit_reads_as_the_whole_text(
    text: str,
    changes: list[tuple[int, int, str]],
    syntaxes: frozenset[str],
    spacing: int,
    cursor: int,
) -> None:
    """Edits one after another, each read again from the walk over the text before all of
    them (as the language server reads each version from its last scan), up to a cursor, then
    on to the end; and from the walk over the text before it, when that walk read its whole
    text."""
    first = walk(text, syntaxes, spacing)
    previous = first
    for change in changes:
        text = edited(text, change)
        whole = list(find(text, syntaxes))
        until = cursor % (len(text) + 1)
        for earlier in (first, previous):
            trail = again(earlier, text, until)
            assert_read_as_whole(trail, whole)
            assert trail.end >= until or trail.agreed >= 0 or trail.whole
            assert_places_resume(trail, whole)
            trail.read_on(len(text))
            assert trail.complete
            assert_read_as_whole(trail, whole)
            assert_places_resume(trail, whole)
        full = again(previous, text)
        assert_read_as_whole(full, whole)
        if full.whole:
            previous = full  # a walk that read to the end is one to read the next edit from


@SETTINGS
@given(texts, edits, st.sampled_from(SYNTAX_SETS), spacings, st.lists(st.integers(0, 1 << 16)))
def test_reading_on_step_by_step_reads_as_the_whole_text(
    text: str,
    change: tuple[int, int, str],
    syntaxes: frozenset[str],
    spacing: int,
    cursors: list[int],
) -> None:
    """Hover after completion: the walk read up to one cursor reads on to another."""
    earlier = walk(text, syntaxes, spacing)
    text = edited(text, change)
    whole = list(find(text, syntaxes))
    trail = again(earlier, text, 0)
    for cursor in sorted(cursor % (len(text) + 1) for cursor in cursors):
        trail.read_on(cursor)
        assert_read_as_whole(trail, whole)
    assert_places_resume(trail, whole)


#: Small texts every edit of which is tried (`test_every_small_edit_reads_as_the_whole_text`).
SMALL = [
    "<Response>{{ a %} b</Response>",
    "<R>{{ a longer text <Speak> more }}</R>",
    '<A x="{{ a longer value " y="}}"/>{% x %}',
    "<R><% if a %><S>{{<%}}$v</S><% end</R>",
    "<R><!-- {{ --><![CDATA[ }} ]]><?= x ?></R>",
    "<R>{{ a <% x %> b <Speak> c }}</R>",
]
#: What is inserted, everywhere, or deleted after every place.
SMALL_PIECES = ["{", "}", "%", "<", ">", "\"", "'", "-", "]", "?", "<%", "%>", "}}", "{{"]


def test_every_small_edit_reads_as_the_whole_text() -> None:
    # Random edits seldom make an opener of the first character of one and a character typed
    # after it, or take away the markup that kept an opener from its closer (before the place
    # the walk is read again from, or after a part after it): every edit of these texts is
    # tried.
    for text in SMALL:
        for syntaxes in (DEFAULT, frozenset({"jinja"}), frozenset({"asp", "el"})):
            earlier = walk(text, syntaxes, 1)
            for at in range(len(text) + 1):
                for new in (
                    *(text[:at] + piece + text[at:] for piece in SMALL_PIECES),
                    text[:at] + text[at + 1 :],
                    text[:at] + text[at + 2 :],
                ):
                    whole = list(find(new, syntaxes))
                    for until in (at, len(new)):
                        trail = again(earlier, new, until)
                        assert_read_as_whole(trail, whole)
                        trail.read_on(len(new))
                        assert_read_as_whole(trail, whole)
                    assert_places_resume(trail, whole)


def test_a_closer_typed_far_after_an_opener_without_one_makes_a_part_of_all_between() -> None:
    # The walk took "<%" for no part, for want of a "%>" anywhere after it: the places after
    # it rest on that. Typing one at the end makes a part of everything between the two, so
    # the text is read again from before the opener, not from the place before the edit.
    body = "".join(f'<Speak Text="{i}">x</Speak>\n' for i in range(40))
    text = f"<Response>\n<% if x\n{body}</Response>\n"
    earlier = walk(text, DEFAULT, 16)
    assert "%>" in earlier.missing
    typed = text.replace("</Response>", "%></Response>")
    trail = again(earlier, typed, len(typed))
    whole = list(find(typed))
    assert spans(whole) == [(text.index("<%"), typed.index("%>") + 2)]
    assert_read_as_whole(trail, whole)
    assert trail.began <= text.index("<%")


def test_an_edit_after_the_agreement_is_read_from_the_earlier_walk() -> None:
    # A character typed in a text: the walk stands again as it stood within a spacing after
    # the edit, and the parts after it are the earlier walk's, moved by one.
    body = "".join(f"<Speak>{{{{ n{i} }}}} and <% x{i} %></Speak>\n" for i in range(200))
    text = f"<Response>\n{body}</Response>\n"
    earlier = walk(text)
    at = text.index("and", len(text) // 2)
    typed = text[:at] + "7" + text[at:]
    trail = again(earlier, typed, len(typed))
    assert trail.agreed >= 0
    assert trail.end - trail.began < 3 * 256
    assert_read_as_whole(trail, list(find(typed)))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \n\r{}<%>", max_size=60), st.data())
def test_blanked_keeps_line_ends_and_blanks_every_other_character(
    value: str, data: st.DataObject
) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(value)), max_size=8)))
    found = tuple(zip(cuts[::2], cuts[1::2], strict=False))
    inside = {offset for start, end in found for offset in range(start, end)}
    expected = "".join(
        " " if n in inside and c not in "\r\n" else c for n, c in enumerate(value)
    )
    assert blanked(value, found) == expected
