"""Every write of the assessments app, one module per sub-domain:
``questionnaires``, ``cycles``, ``responses`` and ``needs``."""
