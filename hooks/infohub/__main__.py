import gc
import sys

# A command's process keeps nearly all it makes until it ends (modules, the engine, the pages of a
# build): with the default 700 allocations between young collections, an edit's build ran ~275
# collections that walked live objects (40-50 ms of 1.6 s CPU at 300 posts); 200,000 leaves
# none in an edit (1 MB more at its peak). Cycles are still collected, later. A build of more than
# one site comes down to 10,000 (build._many_sites_collections): its workers inherit that.
gc.set_threshold(200_000, 10, 10)

from .cli import main  # noqa: E402  (after the threshold: the imports are most of the allocations)

sys.exit(main())
