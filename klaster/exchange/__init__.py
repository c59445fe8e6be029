"""Import and export: the dataset file (DATASET.md), the members' spreadsheet and the demo cluster.

The top layer (`rules ← core ← members ← {kkk, governance ← groups} ← exchange`): writing a whole
cluster touches every domain app, so it is done here, through their services and models, and no
app below imports anything from here.
"""
