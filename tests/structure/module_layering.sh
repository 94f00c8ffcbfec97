# The module graph is the one src/CMakeLists.txt declares (ifnsig_module ... DEPS): a module's sources and
# public headers include headers of itself and of the modules it depends on (directly or through them), never
# of a module above it or beside it. A new include that crosses the graph fails here, naming the file and line.
# Namespaces follow the modules: module M declares its names in ifnsig::M (core, the vocabulary every module
# shares, in ifnsig itself; the command line in ifnsig::cli). A module may reopen the namespace of a module it
# depends on only to add what must sit beside that module's types (nlohmann::json's serialisers).
source "$SRC/tests/lib.sh"
python3 - "$SRC" <<'PY' || fail "an include crosses the module graph (above)"
import pathlib, re, sys
src = pathlib.Path(sys.argv[1])
deps = {}
for name, rest in re.findall(r"^ifnsig_module\((\w+)(.*)\)$", (src / "src/CMakeLists.txt").read_text(), re.M):
    deps[name] = set(re.findall(r"\bifnsig_(\w+)", rest))
def reach(module, seen=None):
    seen = set() if seen is None else seen
    for d in deps[module]:
        if d not in seen:
            seen.add(d)
            reach(d, seen)
    return seen | {module}
bad = 0
for module in deps:
    allowed = reach(module)
    files = list((src / "src" / module).glob("*.[ch]pp")) + list((src / "include/ifnsig" / module).glob("*.hpp"))
    assert files, f"module {module} has no files"
    for path in files:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            n = re.match(r"\s*namespace (ifnsig\S*) \{", line)
            expected = "ifnsig" if module == "core" else f"ifnsig::{module}"
            below = {f"ifnsig::{d}" for d in allowed - {module, "core"}}
            if n and n.group(1) != expected and not n.group(1).startswith(expected + "::") and n.group(1) not in below:
                print(f"{path.relative_to(src)}:{number}: namespace {n.group(1)} in module {module} "
                      f"(its names belong in {expected})")
                bad += 1
            m = re.match(r'\s*#include "ifnsig/(\w+)/', line)
            if m and m.group(1) not in allowed:
                print(f"{path.relative_to(src)}:{number}: module {module} includes {m.group(1)}, "
                      f"which it does not depend on (allowed: {', '.join(sorted(allowed))})")
                bad += 1
for path in (src / "src/cli").glob("*.[ch]pp"):
    for number, line in enumerate(path.read_text().splitlines(), 1):
        n = re.match(r"\s*namespace (ifnsig\S*) \{", line)
        if n and not n.group(1).startswith("ifnsig::cli"):
            print(f"{path.relative_to(src)}:{number}: namespace {n.group(1)} in the command line (use ifnsig::cli)")
            bad += 1
print(f"{len(deps)} modules checked")
sys.exit(1 if bad else 0)
PY
