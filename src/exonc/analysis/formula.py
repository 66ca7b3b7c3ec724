"""Model formulas in the R/Wilkinson notation, reduced to what fixed effects need.

Supported: ``y ~ a + b + a:b``, ``a*b`` (``a + b + a:b``), parentheses (``(a + b):c``),
``- 1`` or ``+ 0`` to drop the intercept, and back-quoted names for columns with spaces
(`` `age group` ``). Transformations (``log(x)``) are not supported: add a column instead.
Terms are ordered as R orders them: by degree, then by first appearance, and the variables
in a term by their first appearance in the formula (so ``b:a`` after ``a`` reads ``a:b``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exonc.errors import AnalysisInputError

__all__ = ["Formula", "Term", "parse_formula"]

Term = tuple[str, ...]

_TOKEN = re.compile(r"\s*(?:(`[^`]+`)|([A-Za-z_.][A-Za-z0-9_.]*)|(\d+)|([~+*:()\-]))")


@dataclass(frozen=True)
class Formula:
    """A parsed formula: response (if any), intercept flag and ordered terms."""

    response: str | None
    intercept: bool
    terms: tuple[Term, ...]

    @property
    def variables(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for term in self.terms:
            seen.update(dict.fromkeys(term))
        return tuple(seen)

    def __str__(self) -> str:
        rhs = [":".join(_quote(v) for v in term) for term in self.terms]
        if not self.intercept:
            rhs.append("0" if not rhs else "- 1")
        text = " + ".join(rhs).replace("+ - 1", "- 1") or "1"
        return f"{_quote(self.response)} ~ {text}" if self.response else f"~ {text}"


def _quote(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_.][A-Za-z0-9_.]*", name) else f"`{name}`"


def parse_formula(text: str) -> Formula:
    """Parse *text*; raise :class:`AnalysisInputError` saying what is not understood."""
    tokens = _tokenise(text)
    parser = _Parser(tokens, text)
    response = None
    if "~" in tokens:
        head = tokens[: tokens.index("~")]
        if len(head) > 1 or (head and head[0] in _OPERATORS):
            raise _error(text, "the left-hand side must be one column name")
        response = head[0] if head else None
        parser.position = len(head) + 1
    terms, intercept = parser.parse()
    order = {name: i for i, name in enumerate(dict.fromkeys(t for t in tokens if t not in _OPS))}
    normalised = [tuple(sorted(term, key=order.__getitem__)) for term in terms]
    unique = list(dict.fromkeys(normalised))
    unique.sort(key=len)  # stable: by degree, then first appearance
    return Formula(response, intercept, tuple(unique))


_OPERATORS = frozenset("~+*:()-")
_OPS = _OPERATORS | {"0", "1"}


def _error(text: str, problem: str) -> AnalysisInputError:
    return AnalysisInputError(
        f"formula {text!r}: {problem}",
        hint="write terms such as 'y ~ arm * visit + baseline'; use + * : ( ) and - 1 only",
    )


def _tokenise(text: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _error(text, f"cannot read {text[position:].strip()!r}")
        quoted, name, number, operator = match.groups()
        tokens.append(quoted[1:-1] if quoted else name or number or operator)
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent: sum := product (('+'|'-') product)*, product := inter ('*' inter)*,
    inter := atom (':' atom)*, atom := name | '(' sum ')' | 0 | 1."""

    def __init__(self, tokens: list[str], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.position = 0
        self.intercept = True

    def parse(self) -> tuple[list[frozenset[str]], bool]:
        terms = self._sum()
        if self.position != len(self.tokens):
            raise _error(self.text, f"unexpected {self.tokens[self.position]!r}")
        return [t for t in terms if t], self.intercept

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self) -> str:
        token = self._peek()
        if token is None:
            raise _error(self.text, "ends too early")
        self.position += 1
        return token

    def _sum(self) -> list[frozenset[str]]:
        terms = self._product()
        while self._peek() in {"+", "-"}:
            if self._take() == "-":
                removed = self._product()
                if removed == [frozenset({"1"})]:
                    self.intercept = False
                else:
                    terms = [t for t in terms if t not in removed]
            else:
                terms += self._product()
        return self._intercepts(terms)

    def _intercepts(self, terms: list[frozenset[str]]) -> list[frozenset[str]]:
        if frozenset({"0"}) in terms:
            self.intercept = False
        return [t for t in terms if t not in ({"0"}, {"1"})]

    def _product(self) -> list[frozenset[str]]:
        terms = self._interaction()
        while self._peek() == "*":
            self._take()
            right = self._interaction()
            terms = terms + right + [a | b for a in terms for b in right]
        return terms

    def _interaction(self) -> list[frozenset[str]]:
        terms = self._atom()
        while self._peek() == ":":
            self._take()
            right = self._atom()
            terms = [a | b for a in terms for b in right]
        return terms

    def _atom(self) -> list[frozenset[str]]:
        token = self._take()
        if token == "(":
            terms = self._sum()
            if self._take() != ")":
                raise _error(self.text, "a parenthesis is not closed")
            return terms
        if token in _OPERATORS:
            raise _error(self.text, f"unexpected {token!r}")
        return [frozenset({token})]
