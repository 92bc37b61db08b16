"""The Merkle tree of a day's timeline digest: pure Python, no Django, no database.

Construction ``lampungin-merkle-v1`` (documented for outside verifiers in
``docs/timeline-integrity.md``):

* a *leaf value* is an event's hash (64 lowercase hex digits = 32 bytes);
* a *leaf node* is ``SHA-256(0x00 || leaf value bytes)``;
* an *inner node* is ``SHA-256(0x01 || left node || right node)``;
* levels are built left to right; when a level has an odd number of nodes the last one is
  **promoted** unchanged to the next level (never duplicated, so two different leaf lists
  can never give the same root — the weakness of duplicating, CVE-2012-2459);
* the root of an empty list is ``SHA-256("")`` =
  ``e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855``.

The 0x00/0x01 prefixes (as in RFC 6962) keep a leaf from ever being read as an inner node.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

CONSTRUCTION = "lampungin-merkle-v1"
EMPTY_ROOT = hashlib.sha256(b"").hexdigest()

Side = Literal["L", "R"]


@dataclass(frozen=True)
class PathStep:
    """One sibling on the way from a leaf to the root; ``side`` is where the sibling sits."""

    side: Side
    hash: str


def _bytes(hex_hash: str) -> bytes:
    value = bytes.fromhex(hex_hash)
    if len(value) != 32:
        raise ValueError(f"expected a SHA-256 hex digest, got {hex_hash!r}")
    return value


def leaf_node(leaf: str) -> bytes:
    """The node of one leaf value (an event hash in hex)."""
    return hashlib.sha256(b"\x00" + _bytes(leaf)).digest()


def inner_node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _levels(leaves: Sequence[str]) -> list[list[bytes]]:
    """Every level of the tree, leaves first, root last (the list is empty for no leaves)."""
    if not leaves:
        return []
    level = [leaf_node(leaf) for leaf in leaves]
    levels = [level]
    while len(level) > 1:
        nxt = [inner_node(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])  # promoted, not duplicated
        levels.append(nxt)
        level = nxt
    return levels


def merkle_root(leaves: Sequence[str]) -> str:
    """The root (hex) over ``leaves`` in the given order; ``EMPTY_ROOT`` when there are none."""
    levels = _levels(leaves)
    return levels[-1][0].hex() if levels else EMPTY_ROOT


def merkle_path(leaves: Sequence[str], index: int) -> list[PathStep]:
    """The siblings needed to go from ``leaves[index]`` up to the root.

    Must hold: ``verify_path(leaves[index], merkle_path(leaves, index), merkle_root(leaves))``.
    A level where the node was promoted contributes no step.
    """
    if not 0 <= index < len(leaves):
        raise IndexError(f"leaf index {index} out of range for {len(leaves)} leaves")
    path: list[PathStep] = []
    for level in _levels(leaves)[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            side: Side = "L" if sibling < index else "R"
            path.append(PathStep(side=side, hash=level[sibling].hex()))
        index //= 2
    return path


def root_from_path(leaf: str, path: Sequence[PathStep]) -> str:
    """The root that ``leaf`` and ``path`` lead to (hex)."""
    node = leaf_node(leaf)
    for step in path:
        sibling = _bytes(step.hash)
        node = inner_node(sibling, node) if step.side == "L" else inner_node(node, sibling)
    return node.hex()


def verify_path(leaf: str, path: Sequence[PathStep], root: str) -> bool:
    """Whether ``leaf`` is part of the tree whose root is ``root`` (malformed input is False)."""
    try:
        return root_from_path(leaf, path) == root.lower()
    except ValueError:
        return False
