"""Page builders, one module per generated page family. Each has `build(site) -> list[Output]`
and imports only what lies below it (site, agenda, mdtext, model, …); build.py calls them all.

    home.py      the home page (this month and next, schools, newest plans) and the schools index
    school.py    a page per school: a summary for parents, plans by term, projects, term over term
    plan.py      a page per plan: 指导思想, goals, measures, projects, the schedule with anchors
    project.py   a page per 课题 and the projects index
    month.py     a page per calendar month, the calendar index, "this month" blocks, feed links
    compare.py   comparisons across schools: categories, months × schools, projects by level/stage
    schema.py    the data format reference, generated from the pydantic models
    about.py     the about page: the site's name and every school the data has
    assets.py    the scripts and the stylesheet the pages use
"""
