"""Where the demo data pretends to come from: reception centres in one region.

Shared by the engine-driven generator (screening/demo/generator.py) and the bulk rows for
export benchmarks (screening/demo/bulk.py), so both kinds of demo data name the same
centres.
"""

CENTRES = (
    "Podgorica reception centre",
    "Spuž reception centre",
    "Božaj border post",
    "Bar port",
    "Herceg Novi transit point",
    "Rožaje reception point",
)
