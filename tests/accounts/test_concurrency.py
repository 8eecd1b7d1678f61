import threading

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User

PASSWORD = "a-long-enough-password"


@pytest.mark.postgres_only
def test_two_simultaneous_sign_ups_with_one_email_make_one_account(app, real_db):
    statuses = []
    barrier = threading.Barrier(2)

    def sign_up(n):
        with app.app_context():
            client = app.test_client()
            barrier.wait()
            response = client.post("/signup/company", data={
                "company_name": f"Race Co {n}", "registration_number": "R-1", "country": "CN",
                "name": "Racer", "email": "racer@example.org", "password": PASSWORD,
                "confirm": PASSWORD})
            statuses.append(response.status_code)
            real_db.session.remove()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302, 409]
    assert real_db.session.scalar(select(func.count(User.id))) == 1
