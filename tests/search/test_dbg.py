from marketplace.search.queries import search_scenarios
from tests.search import realdata, judgments

def test_dbg():
    ids = realdata.load()
    for q in ["street sweeping vehicles", "cyber security", "solar panels", "roof repairs", "GP surgery contract", "school cleaning", "software development"]:
        r = search_scenarios(None, q, per_page=5)
        print("\n==", q)
        for s in r.items:
            print("   ", round(r.scores[s.id],2), s.title[:90], "|", s.cpv_codes[:2])
    assert 0
