"""Form definitions: the JSON model (`model`), whole-form checks and the compiled form
(`compiler`, `graph`), and XLSForm import (`xlsform`).

Kept free of imports so that reading the model does not pull in the expression compiler.
"""
