"""Read curated tables (CSV or YAML) into validated records that remember where they came from."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from kg.errors import ContentError

#: Separator of list values inside one CSV cell
LIST_SEPARATOR = "|"
_REF_RANGE = re.compile(r"^(\d+)-(\d+)$")


def split_list(value: object) -> list[str]:
    """Turn ``"a | b"`` (CSV) or a YAML list into a list of stripped, non-empty strings."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(LIST_SEPARATOR)
    return [str(item).strip() for item in items if str(item).strip()]


def parse_refs(value: object) -> list[int]:
    """Parse cited reference numbers such as ``"51-56, 61"`` into ``[51, ..., 56, 61]``.

    >>> parse_refs("51–53, 61")
    [51, 52, 53, 61]
    """
    if value is None or value == "":
        return []
    if isinstance(value, int):
        return [value]
    numbers: list[int] = []
    text = re.sub(r"\s*[-–]\s*", "-", str(value).strip())
    for token in filter(None, re.split(r"[,;\s]+", text)):
        match = _REF_RANGE.match(token)
        if match:
            first, last = int(match[1]), int(match[2])
            if last < first:
                raise ValueError(f"reference range {token!r} runs backwards")
            numbers.extend(range(first, last + 1))
        elif token.isdigit():
            numbers.append(int(token))
        else:
            raise ValueError(f"{token!r} is not a reference number or range like 51-56")
    return sorted(set(numbers))


StrList = Annotated[list[str], BeforeValidator(split_list)]
RefList = Annotated[list[int], BeforeValidator(parse_refs)]
NonEmpty = Annotated[str, Field(min_length=1)]
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
#: A reference to an entity of any kind, written ``kind:id``; a node under an entity takes one
#: more path segment (a biomarker under its protein: ``protein:COL1A1/CTX``)
EntityRef = Annotated[
    str, Field(pattern=r"^[a-z]+:[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?$")
]
_CONTEXT_REF = re.compile(r"^[a-z]+:[A-Za-z0-9][A-Za-z0-9_.-]*$")


def context_reference(value: str) -> str:
    """Check one entry of a ``context`` cell: a ``kind:id`` reference to an entity.

    Which kinds may restrict a finding, and with which qualifier, is for the builders to say
    (``kg.build.graph.check_evidence``); here only the form is checked, with a message a
    curator can act on.
    """
    if not _CONTEXT_REF.match(value):
        raise ValueError(
            f"{value!r} is not a context reference: write kind:id, such as "
            "disease:breast-carcinoma or cell:osteoblast, several separated by ' | '"
        )
    return value


#: One entry of a ``context`` cell (``disease:breast-carcinoma``)
ContextRef = Annotated[str, AfterValidator(context_reference)]
StudyModel = Literal[
    "patients",
    "clinical-trial",
    "animal-model",
    "cell-line",
    "primary-cells",
    "tissue-samples",
    "case-report",
]


class Record(BaseModel):
    """A curated row: unknown columns are errors, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class EvidenceColumns(Record):
    """The evidence columns every curated row carries (source, quote...; see content/README.md)."""

    source: Identifier
    section: NonEmpty
    refs: RefList = []
    quote: NonEmpty
    polarity: Literal["supports", "refutes"] = "supports"
    certainty: Literal["stated", "hedged"] = "stated"
    species: Literal["human", "mouse", "rat"] | None = None
    model: StudyModel | None = None
    context: Annotated[list[ContextRef], BeforeValidator(split_list)] = []
    eco: Annotated[str, Field(pattern=r"^ECO:\d{7}$")] | None = None

    @property
    def evidence_type(self) -> str:
        """The ECO class of the evidence: traceable author statement when references are cited."""
        return self.eco or ("ECO:0000033" if self.refs else "ECO:0000204")


RecordT = TypeVar("RecordT", bound=Record)


@dataclass(frozen=True)
class Row(Generic[RecordT]):
    """A validated record with its file and row number (for error messages)."""

    path: Path
    number: int
    record: RecordT

    def error(self, field: str | None, message: str) -> ContentError:
        """Return an error that points at this row and ``field``."""
        return ContentError(self.path, self.number, field, message)


def read_utf8(path: Path) -> str:
    """Return the text of a content table; a byte that is not UTF-8 is an error naming its line."""
    content = path.read_bytes()
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        message = (
            f"not UTF-8: byte 0x{content[exc.start]:02x} on line {line}; save the file as UTF-8"
        )
        raise ContentError(path, None, None, message) from exc


def iter_raw_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(row number, raw mapping)``: CSV line numbers (header is 1), YAML record numbers."""
    if path.suffix == ".csv":
        reader = csv.DictReader(io.StringIO(read_utf8(path), newline=""))
        for row in reader:
            if None in row:
                raise ContentError(path, reader.line_num, None, "more cells than header columns")
            if None in row.values():
                raise ContentError(
                    path,
                    reader.line_num,
                    None,
                    "fewer cells than header columns (a missing comma?)",
                )
            yield reader.line_num, {k: v for k, v in row.items() if v != ""}
    elif path.suffix in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(read_utf8(path))
        except yaml.YAMLError as exc:
            raise ContentError(path, None, None, f"not valid YAML: {exc}") from exc
        if not isinstance(data, list):
            raise ContentError(path, None, None, "expected a YAML list of records")
        for number, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                raise ContentError(path, number, None, "expected a mapping of field: value")
            yield number, item
    else:
        raise ContentError(path, None, None, "content tables must be .csv or .yaml")


def load_rows(path: Path, model: type[RecordT]) -> tuple[list[Row[RecordT]], list[ContentError]]:
    """Validate every row of ``path`` against ``model``; return the good rows and all errors."""
    rows: list[Row[RecordT]] = []
    errors: list[ContentError] = []
    try:
        for number, raw in iter_raw_rows(path):
            try:
                rows.append(Row(path, number, model.model_validate(raw)))
            except ValidationError as exc:
                errors.extend(_content_errors(path, number, exc))
    except ContentError as exc:
        errors.append(exc)
    return rows, errors


def _content_errors(path: Path, number: int, exc: ValidationError) -> list[ContentError]:
    errors = []
    for detail in exc.errors():
        field = ".".join(str(part) for part in detail["loc"]) or None
        message = detail["msg"]
        if detail["type"] != "missing" and "input" in detail:
            message += f", got {detail['input']!r}"
        errors.append(ContentError(path, number, field, message))
    return errors
