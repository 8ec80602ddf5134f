"""Display text: whitespace normalized and the LaTeX of titles and abstracts rendered as unicode.

Raw text is always kept beside the clean one; this only serves reading. Pure and fast (regexes,
no parser), since it runs on every ingested record.
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")

SYMBOLS: dict[str, str] = {
    "rightarrow": "→",
    "to": "→",
    "leftarrow": "←",
    "gets": "←",
    "Rightarrow": "⇒",
    "Leftarrow": "⇐",
    "leftrightarrow": "↔",
    "Leftrightarrow": "⇔",
    "mapsto": "↦",
    "uparrow": "↑",
    "downarrow": "↓",
    "longrightarrow": "⟶",
    "implies": "⟹",
    "times": "×",
    "cdot": "·",
    "cdots": "⋯",
    "ldots": "…",
    "dots": "…",
    "div": "÷",
    "pm": "±",
    "mp": "∓",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "ne": "≠",
    "approx": "≈",
    "sim": "∼",
    "simeq": "≃",
    "equiv": "≡",
    "propto": "∝",
    "ll": "≪",
    "gg": "≫",
    "infty": "∞",
    "partial": "∂",
    "nabla": "∇",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "sqrt": "√",
    "in": "∈",
    "notin": "∉",
    "subset": "⊂",
    "subseteq": "⊆",
    "cup": "∪",
    "cap": "∩",
    "forall": "∀",
    "exists": "∃",
    "emptyset": "∅",
    "circ": "∘",
    "star": "⋆",
    "ast": "∗",
    "degree": "°",
    "prime": "′",
    "dagger": "†",
    "ell": "ℓ",
    "hbar": "ħ",
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "vartheta": "ϑ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "φ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
    "%": "%",
    "&": "&",
    "_": "_",
    "#": "#",
    "$": "$",
    "{": "{",
    "}": "}",
    "textasciitilde": "~",
    "textbackslash": "\\",
    "S": "§",
    "textregistered": "®",
    "texttrademark": "™",
    "copyright": "©",
    "quad": " ",
    "qquad": " ",
    ",": " ",
    ";": " ",
    "!": "",
    " ": " ",
    "AA": "Å",
    "aa": "å",
    "o": "ø",
    "O": "Ø",
    "ss": "ß",
    "ae": "æ",
    "l": "ł",
    "L": "Ł",
    "checkmark": "✓",
    "bullet": "•",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
}
_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "c": "\u0327",
    "v": "\u030c",
    "u": "\u0306",
    "=": "\u0304",
    ".": "\u0307",
    "H": "\u030b",
    "k": "\u0328",
    "r": "\u030a",
}
_SUPER = str.maketrans("0123456789+-=()nik", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵏ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")

_ACCENT_RE = re.compile(
    r"""\\(['`^"~=.]|[cvuHkr](?=[\s{]))\s*(?:\{\s*\\?([A-Za-z])\s*\}|\\?([A-Za-z]))"""
)
_WRAPPER_RE = re.compile(
    r"\\(?:text(?:bf|it|tt|sc|sf|rm|normal|up|md)?|emph|mathrm|mathbf|mathit|mathsf|mathtt|"
    r"mathcal|mathbb|mathfrak|boldsymbol|bm|operatorname|underline|textsuperscript|mbox|hbox|"
    r"url|href\{[^{}]*\})\s*\{([^{}]*)\}"
)
_SCRIPT_RE = re.compile(r"([\^_])(?:\{([^{}]{1,12})\}|([0-9A-Za-z+\-]))")
_CMD_RE = re.compile(r"\\([A-Za-z]+|[%&_#${},;! ])")
_SPACING_RE = re.compile(r"\\(?:m?kern|hskip|mskip)\s*-?[\d.]+\s*[a-z]{2}|\\[hv]space\*?\{[^{}]*\}")
_QUOTE_RE = re.compile(r"(?<![\w`])`([^`'\n]{1,80})'")
_BRACES_RE = re.compile(r"\{([^{}\\]*)\}")
_MATH_RE = re.compile(r"(?<!\\)\$\$?(.+?)(?<!\\)\$\$?", re.S)


def squash(text: str | None) -> str:
    """Collapse every run of whitespace to one space and trim."""
    if not text:
        return ""
    if text.isascii():  # the common case, without a regex: line breaks, tabs, double spaces
        if "\n" in text:
            text = text.replace("\r\n", " ").replace("\n", " ")
        if "\t" in text or "\r" in text:
            text = text.replace("\t", " ").replace("\r", " ")
        if "  " in text:
            text = _WS.sub(" ", text)
        return text.strip()
    return _WS.sub(" ", text).strip()


def _script(match: re.Match[str]) -> str:
    body = match.group(2) if match.group(2) is not None else match.group(3)
    table = _SUPER if match.group(1) == "^" else _SUB
    converted = body.translate(table)
    # only when every character has a super/subscript form; otherwise keep it readable
    if (converted != body or not body) and all(
        c != o or c in " " for c, o in zip(converted, body, strict=True)
    ):
        return converted
    return ("^" if match.group(1) == "^" else "_") + body


def _math(match: re.Match[str]) -> str:
    body = match.group(1)
    body = _WRAPPER_RE.sub(r"\1", body)
    body = _SCRIPT_RE.sub(_script, body)
    return body.replace("{", "").replace("}", "").replace("~", " ")


def _command(match: re.Match[str]) -> str:
    # unknown commands are dropped; their braced argument, if any, stays as text
    return SYMBOLS.get(match.group(1), "")


def _accent(match: re.Match[str]) -> str:
    letter = match.group(2) or match.group(3)
    return unicodedata.normalize("NFC", letter + _ACCENTS[match.group(1)])


def latex_to_text(text: str) -> str:
    """Render the LaTeX found in titles and abstracts as plain unicode."""
    backslash, dollar, backtick = "\\" in text, "$" in text, "`" in text
    if not (backslash or dollar or backtick or "--" in text or "{" in text):
        return text
    if backslash:
        text = _ACCENT_RE.sub(_accent, text)
        text = _SPACING_RE.sub("", text)
        for _ in range(3):  # nested wrappers: \textbf{\emph{x}}
            new = _WRAPPER_RE.sub(r"\1", text)
            if new == text:
                break
            text = new
    if dollar:
        text = _MATH_RE.sub(_math, text)
    if backslash:
        text = _CMD_RE.sub(_command, text)
    if backtick:
        text = text.replace("``", "“")
        text = _QUOTE_RE.sub(r"‘\1’", text)
    text = text.replace("''", "”").replace("---", "—").replace("--", "–")
    if "{" in text:
        text = _BRACES_RE.sub(r"\1", text)
    return text


def clean(text: str | None) -> str:
    """Display form of a title or abstract."""
    if not text:
        return ""
    text = squash(text)
    rendered = latex_to_text(text)
    return text if rendered is text else squash(rendered)


def strip_parentheses(value: str) -> str:
    """``A (1), B (2) ((1) Univ X, (2) Univ Y)`` → ``A , B``: affiliations out, names kept."""
    out: list[str] = []
    depth = 0
    for char in value:
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif not depth:
            out.append(char)
    return "".join(out)
