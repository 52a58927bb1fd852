import { redactUrl, urlCarriesCredentials } from '../../src/lib/url-credentials';

describe('credentials in URLs', () => {
  it.each([
    ['https://user:pw@hooks.example.com/events', 'https://********:********@hooks.example.com/events'],
    ['https://token-as-user@hooks.example.com/', 'https://********@hooks.example.com/'],
    ['https://hooks.example.com/e?access_token=abc&tenant=7', 'https://hooks.example.com/e?access_token=********&tenant=7'],
    ['https://hooks.example.com/e?api_key=k&apikey=k&X-Api-Key=k&client_secret=s', 'https://hooks.example.com/e?api_key=********&apikey=********&X-Api-Key=********&client_secret=********'],
    ['https://hooks.example.com/e?sig=a&signature=b&password=c&pwd=d&auth=e&code=f&key=g&session_id=h', 'https://hooks.example.com/e?sig=********&signature=********&password=********&pwd=********&auth=********&code=********&key=********&session_id=********'],
    ['https://hooks.example.com/e?q=a%20b&access%5Ftoken=x#frag', 'https://hooks.example.com/e?q=a%20b&access%5Ftoken=********#frag'],
  ])('when %s is shown, then it reads %s', (url, shown) => {
    expect(urlCarriesCredentials(url)).toBe(true);
    expect(redactUrl(url)).toBe(shown);
  });

  it.each(['https://hooks.example.com/events?tenant=7&q=x', 'https://acme.service-now.com', '/api/now/table/incident?sysparm_query=active=true', 'not a url', 'ftp://u:p@x/'])(
    'when %s carries no credential (or is no http URL), then it is shown unchanged',
    (value) => {
      expect(urlCarriesCredentials(value)).toBe(false);
      expect(redactUrl(value)).toBe(value);
    },
  );
});
